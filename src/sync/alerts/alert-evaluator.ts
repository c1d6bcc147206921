import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { AlertNotifier } from './alert-notifier.js';
import { createAlertNotifier } from './alert-notifier.js';
import type { AlertRule } from './alert-rules.js';
import { resolveAlertRules } from './alert-rules.js';
import type { AlertEvaluation } from './evaluate-alerts.js';
import { evaluateAlerts } from './evaluate-alerts.js';
import type { WebhookTarget } from './webhook-sender.js';
import { PeriodicRunner } from '../../shared/periodic-runner.js';

export interface AlertEvaluatorOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Default: `resolveAlertRules()`. */
  rules?: readonly AlertRule[];
  webhook?: WebhookTarget;
  /** Overrides the log + webhook notifier (built from `logger` and `webhook` otherwise). */
  notifier?: AlertNotifier;
  now?: () => Date;
}

/** Evaluates the alert rules on a timer for the hub; never two evaluations at once. */
export class AlertEvaluator {
  readonly rules: readonly AlertRule[];
  readonly #options: AlertEvaluatorOptions;
  readonly #notifier: AlertNotifier;
  readonly #runner: PeriodicRunner;

  constructor(options: AlertEvaluatorOptions) {
    this.#options = options;
    this.#runner = new PeriodicRunner(
      () => this.evaluateNow(),
      (error: unknown) => options.logger.error({ err: error }, 'alert evaluation failed'),
    );
    this.rules = options.rules ?? resolveAlertRules();
    this.#notifier =
      options.notifier ??
      createAlertNotifier({ logger: options.logger, ...(options.webhook && { webhook: options.webhook }) });
  }

  get active(): boolean {
    return this.#runner.active;
  }

  /** Evaluates now, then every `intervalMs` (default 30 s). */
  start(intervalMs = 30_000): void {
    this.#runner.start(intervalMs);
  }

  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void> {
    return this.#runner.stop();
  }

  evaluateNow(): Promise<AlertEvaluation[]> {
    return evaluateAlerts(this.#options.db, this.rules, {
      now: this.#options.now?.() ?? new Date(),
      notifier: this.#notifier,
    });
  }
}

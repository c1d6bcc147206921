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
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #active = false;

  constructor(options: AlertEvaluatorOptions) {
    this.#options = options;
    this.rules = options.rules ?? resolveAlertRules();
    this.#notifier =
      options.notifier ??
      createAlertNotifier({ logger: options.logger, ...(options.webhook && { webhook: options.webhook }) });
  }

  get active(): boolean {
    return this.#active;
  }

  /** Evaluates now, then every `intervalMs` (default 30 s). */
  start(intervalMs = 30_000): void {
    if (this.#active) return;
    this.#active = true;
    const tick = async () => {
      this.#running = this.evaluateNow().catch((error: unknown) => {
        this.#options.logger.error({ err: error }, 'alert evaluation failed');
      });
      await this.#running;
      this.#running = undefined;
      if (this.#active) this.#timer = setTimeout(tick, intervalMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  evaluateNow(): Promise<AlertEvaluation[]> {
    return evaluateAlerts(this.#options.db, this.rules, {
      now: this.#options.now?.() ?? new Date(),
      notifier: this.#notifier,
    });
  }
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { KpiSample } from './sample-kpis.js';
import { pruneKpiSamples, sampleKpis } from './sample-kpis.js';
import { PeriodicRunner } from '../../shared/periodic-runner.js';

export interface KpiSamplerOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Samples older than this are deleted (default 30 days), checked at most once an hour. */
  retentionDays?: number;
  windowSeconds?: number;
  now?: () => Date;
}

const PRUNE_EVERY_MS = 3_600_000;

/** Samples the sync KPIs on a timer for the hub; one sample at a time, never overlapping. */
export class KpiSampler {
  readonly #options: KpiSamplerOptions;
  readonly #runner: PeriodicRunner;
  #lastPrune = 0;

  constructor(options: KpiSamplerOptions) {
    this.#options = options;
    this.#runner = new PeriodicRunner(
      () => this.sampleNow(),
      (error: unknown) => options.logger.error({ err: error }, 'KPI sampling failed'),
    );
  }

  get active(): boolean {
    return this.#runner.active;
  }

  /** Samples now, then every `intervalMs` (default 60 s). */
  start(intervalMs = 60_000): void {
    this.#runner.start(intervalMs);
  }

  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void> {
    return this.#runner.stop();
  }

  async sampleNow(): Promise<KpiSample[]> {
    const { db } = this.#options;
    const now = this.#options.now?.() ?? new Date();
    const samples = await sampleKpis(db, {
      now,
      ...(this.#options.windowSeconds && { windowSeconds: this.#options.windowSeconds }),
    });
    if (now.getTime() - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = now.getTime();
      const keepMs = (this.#options.retentionDays ?? 30) * 86_400_000;
      await pruneKpiSamples(db, { before: new Date(now.getTime() - keepMs).toISOString() });
    }
    return samples;
  }
}

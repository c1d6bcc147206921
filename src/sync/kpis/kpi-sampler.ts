import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { KpiSample } from './sample-kpis.js';
import { pruneKpiSamples, sampleKpis } from './sample-kpis.js';

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
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #lastPrune = 0;
  #active = false;

  constructor(options: KpiSamplerOptions) {
    this.#options = options;
  }

  get active(): boolean {
    return this.#active;
  }

  /** Samples now, then every `intervalMs` (default 60 s). */
  start(intervalMs = 60_000): void {
    if (this.#active) return;
    this.#active = true;
    const tick = async () => {
      this.#running = this.sampleNow().catch((error: unknown) => {
        this.#options.logger.error({ err: error }, 'KPI sampling failed');
      });
      await this.#running;
      this.#running = undefined;
      if (this.#active) this.#timer = setTimeout(tick, intervalMs);
    };
    void tick();
  }

  /** Stops the timer and waits for a sample in progress. */
  async stop(): Promise<void> {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
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

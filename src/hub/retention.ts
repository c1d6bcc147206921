import type { Kysely } from 'kysely';
import { pruneImports } from '../imports/index.js';
import type { Database } from '../platform/db/index.js';
import type { Logger } from '../platform/logging/index.js';
import { PeriodicRunner } from '../shared/periodic-runner.js';
import { pruneHistory } from '../sync/delivery/index.js';
import { pruneReplays } from '../sync/replay/index.js';

export interface RetentionOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** This hub's imports folder (uploads are pruned where they are kept). */
  importsDir: string;
  /** `sync.historyDays`: what finished longer ago than this goes. */
  keepDays: number;
  /** Between runs (default one hour); the first run is at start. */
  everyMs?: number;
}

/**
 * The hub's bounded retention, at start and then hourly: delivery history (delivered rows and attempts),
 * bulk replays' item rows, and finished imports' rejects and uploads, each kept `sync.historyDays`. It runs
 * whether or not sync is enabled: imports grow either way. Each part fails on its own (logged), so one
 * refusing does not keep the others from running.
 */
export function startRetention(options: RetentionOptions): { stop(): Promise<void> } {
  const { db, logger, keepDays } = options;
  const part = async (name: string, prune: () => Promise<Record<string, number>>) => {
    try {
      const pruned = await prune();
      if (Object.values(pruned).some((n) => n > 0)) logger.info({ pruned }, `${name} pruned`);
    } catch (error) {
      logger.warn({ err: error }, `${name} pruning failed`);
    }
  };
  const runner = new PeriodicRunner(
    async () => {
      await part('history', () => pruneHistory(db, keepDays));
      await part('replay items', () => pruneReplays(db, { keepDays }));
      await part('imports', async () => ({
        ...(await pruneImports({ db, dir: options.importsDir, keepDays })),
      }));
    },
    (error) => logger.warn({ err: error }, 'retention failed'),
  );
  runner.start(options.everyMs ?? 3600_000);
  return { stop: () => runner.stop() };
}

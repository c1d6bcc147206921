import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { SyncMetrics } from '../engine/index.js';
import { computeSyncState } from './sync-state.js';

export type SyncGauges = Pick<SyncMetrics, 'backlog' | 'oldestPendingSeconds' | 'deadLetters'>;

/**
 * Sets the stored-state gauges (backlog, oldest pending age, dead letters) per flow from storage, so every
 * hub reports the same figures; call it on each /metrics scrape. Flows that no longer exist disappear.
 */
export async function refreshSyncGauges(
  db: Kysely<Database>,
  metrics: SyncGauges,
  options: { now?: Date } = {},
): Promise<void> {
  const state = await computeSyncState(db, { now: options.now ?? new Date(), latencySampleLimit: 0 });
  metrics.backlog.reset();
  metrics.oldestPendingSeconds.reset();
  metrics.deadLetters.reset();
  for (const f of state.flows) {
    metrics.backlog.set({ flow: f.flow }, f.backlog);
    metrics.oldestPendingSeconds.set({ flow: f.flow }, f.oldestPendingSeconds);
    metrics.deadLetters.set({ flow: f.flow }, f.deadLetters);
  }
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { ALL_SCOPE, KpiName } from './kpi-names.js';
import type { SyncFigures, SyncStateOptions } from './sync-state.js';
import { computeSyncState } from './sync-state.js';

export interface KpiSample {
  at: string;
  name: string;
  scope: string;
  value: number;
}

/** Stores samples in multi-row inserts; non-finite values are dropped (a chart cannot draw them). */
export async function storeKpiSamples(db: Kysely<Database>, samples: readonly KpiSample[]): Promise<number> {
  const rows = samples.filter((s) => Number.isFinite(s.value));
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('sync_kpi_samples')
      .values(rows.slice(i, i + 200).map((s) => ({ at: s.at, name: s.name, scope: s.scope, value: s.value })))
      .execute();
  }
  return rows.length;
}

function samplesOf(at: string, scope: string, f: SyncFigures): KpiSample[] {
  const samples: KpiSample[] = [
    { at, scope, name: KpiName.backlog, value: f.backlog },
    { at, scope, name: KpiName.oldestPendingSeconds, value: f.oldestPendingSeconds },
    { at, scope, name: KpiName.deadLetters, value: f.deadLetters },
    { at, scope, name: KpiName.attempts, value: f.attempts },
  ];
  // No attempts or no deliveries in the window: no rate or latency, rather than a misleading 0.
  if (f.errorRate !== null) samples.push({ at, scope, name: KpiName.errorRate, value: f.errorRate });
  if (f.latencyP50Seconds !== null)
    samples.push({ at, scope, name: KpiName.latencyP50, value: f.latencyP50Seconds });
  if (f.latencyP95Seconds !== null)
    samples.push({ at, scope, name: KpiName.latencyP95, value: f.latencyP95Seconds });
  return samples;
}

/**
 * Computes the sync KPIs at `now` (per flow, scope `flow:<name>`, and in total, scope `all`) and stores
 * them as one sample each; returns what it stored.
 */
export async function sampleKpis(db: Kysely<Database>, options: SyncStateOptions = {}): Promise<KpiSample[]> {
  const state = await computeSyncState(db, options);
  const samples = [
    ...samplesOf(state.at, ALL_SCOPE, state.total),
    ...state.flows.flatMap((f) => samplesOf(state.at, f.subscriber, f)),
  ];
  await storeKpiSamples(db, samples);
  return samples;
}

/** Retention: deletes samples taken before `before` (ISO); returns how many. */
export async function pruneKpiSamples(db: Kysely<Database>, options: { before: string }): Promise<number> {
  const result = await db.deleteFrom('sync_kpi_samples').where('at', '<', options.before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

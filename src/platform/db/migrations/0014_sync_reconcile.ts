import type { MigrationDb } from '../migration-kit.js';

/**
 * Indexes for reconciliation, KPI sampling and alerting (tables from 0011):
 * - delivered deliveries by time: latency percentiles of the last window, and history pruning;
 * - KPI samples per series (name, scope, at) for charts, and by time alone for retention;
 * - reconciliation runs per connector and entity for the run list.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createIndex('outbox_deliveries_delivered_idx')
    .on('outbox_deliveries')
    .columns(['status', 'delivered_at'])
    .execute();
  await db.schema
    .createIndex('sync_kpi_samples_series_idx')
    .on('sync_kpi_samples')
    .columns(['name', 'scope', 'at'])
    .execute();
  await db.schema.createIndex('sync_kpi_samples_at_idx').on('sync_kpi_samples').columns(['at']).execute();
  await db.schema
    .createIndex('sync_recon_runs_entity_idx')
    .on('sync_recon_runs')
    .columns(['connector', 'entity', 'started_at'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const index of [
    'sync_recon_runs_entity_idx',
    'sync_kpi_samples_at_idx',
    'sync_kpi_samples_series_idx',
    'outbox_deliveries_delivered_idx',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
}

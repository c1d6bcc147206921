import type { MigrationDb } from '../migration-kit.js';
import { withSerialPrimaryKey } from '../migration-kit.js';

export async function up(db: MigrationDb): Promise<void> {
  await withSerialPrimaryKey(db, db.schema.createTable('sync_attempts'), 'id')
    .addColumn('delivery_id', 'bigint', (c) => c.notNull())
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_class', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema
    .createIndex('sync_attempts_delivery_idx')
    .on('sync_attempts')
    .columns(['delivery_id', 'attempt'])
    .execute();
  await db.schema
    .createIndex('sync_attempts_started_idx')
    .on('sync_attempts')
    .columns(['started_at'])
    .execute();

  await db.schema
    .createTable('sync_crosswalk')
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('local_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_crosswalk_pk', ['connector', 'entity', 'local_id'])
    .addUniqueConstraint('sync_crosswalk_external_uq', ['connector', 'entity', 'external_id'])
    .execute();

  await db.schema
    .createTable('sync_cursors')
    .addColumn('flow', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('pulled_total', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sync_snapshots')
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('local_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('erp_modified_at', 'text')
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_snapshots_pk', ['connector', 'entity', 'local_id'])
    .execute();

  await db.schema
    .createTable('sync_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('local_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('base_value', 'text')
    .addColumn('erp_value', 'text')
    .addColumn('local_value', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('resolved_value', 'text')
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('sync_conflicts_status_idx')
    .on('sync_conflicts')
    .columns(['status', 'detected_at'])
    .execute();
  await db.schema
    .createIndex('sync_conflicts_record_idx')
    .on('sync_conflicts')
    .columns(['entity', 'local_id', 'field'])
    .execute();

  await db.schema
    .createTable('sync_recon_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('compared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('matching', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('differences', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .execute();

  await withSerialPrimaryKey(db, db.schema.createTable('sync_recon_diffs'), 'id')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('local_id', 'text')
    .addColumn('external_id', 'text')
    .addColumn('field', 'text')
    .addColumn('local_value', 'text')
    .addColumn('erp_value', 'text')
    .addColumn('corrected_at', 'text')
    .execute();
  await db.schema
    .createIndex('sync_recon_diffs_run_idx')
    .on('sync_recon_diffs')
    .columns(['run_id', 'kind'])
    .execute();

  await withSerialPrimaryKey(db, db.schema.createTable('sync_kpi_samples'), 'id')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sync_kpi_samples_name_idx')
    .on('sync_kpi_samples')
    .columns(['name', 'at'])
    .execute();

  await db.schema
    .createTable('sync_alerts')
    .addColumn('rule', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'text')
    .addColumn('last_value', 'double precision')
    .addColumn('last_notified_at', 'text')
    .addColumn('message', 'text')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'sync_alerts',
    'sync_kpi_samples',
    'sync_recon_diffs',
    'sync_recon_runs',
    'sync_conflicts',
    'sync_snapshots',
    'sync_cursors',
    'sync_crosswalk',
    'sync_attempts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

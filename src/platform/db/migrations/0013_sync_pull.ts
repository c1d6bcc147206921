import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';

// Incremental pulls and conflicts (docs/sync/pulls-and-cursors.md, docs/sync/conflicts.md).
// SQLite adds one column per ALTER TABLE statement, hence one call per column.

async function addColumns(db: MigrationDb, table: string, columns: readonly string[]): Promise<void> {
  for (const column of columns) await db.schema.alterTable(table).addColumn(column, 'text').execute();
}

export async function up(db: MigrationDb): Promise<void> {
  // The Fieldsync-side half of the per-side snapshot (`fields` holds the ERP side) and a hash of the ERP
  // record's data, so a re-read of the same version is dropped even when the ERP stamps whole seconds.
  await addColumns(db, 'sync_snapshots', ['local_fields', 'erp_hash']);
  await db.schema
    .createIndex('sync_snapshots_external_idx')
    .on('sync_snapshots')
    .columns(['connector', 'entity', 'external_id'])
    .execute();

  await addColumns(db, 'sync_conflicts', [
    'external_entity',
    'kind',
    'rule',
    'message',
    'resolved_by',
    'updated_at',
  ]);
  // At most one open conflict per record field and connector: a re-pull refreshes it instead of adding one.
  await db.schema
    .createIndex('sync_conflicts_open_uq')
    .on('sync_conflicts')
    .columns(['connector', 'entity', 'local_id', 'field'])
    .unique()
    .where(sql.ref('status'), '=', sql.lit('open'))
    .execute();
  await db.schema
    .createIndex('sync_conflicts_flow_idx')
    .on('sync_conflicts')
    .columns(['flow', 'status'])
    .execute();

  // A run holds a lease on its flow's cursor row, so two hubs never pull the same flow at once.
  await addColumns(db, 'sync_cursors', ['lease_owner', 'lease_expires_at', 'last_result']);

  await db.schema
    .createTable('sync_pull_errors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('external_entity', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addColumn('erp_hash', 'text', (c) => c.notNull())
    .addColumn('error_class', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('issues', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addUniqueConstraint('sync_pull_errors_record_uq', ['flow', 'external_id'])
    .execute();
  await db.schema
    .createIndex('sync_pull_errors_status_idx')
    .on('sync_pull_errors')
    .columns(['flow', 'status', 'modified_at'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('sync_pull_errors').execute();
  await db.schema.dropIndex('sync_conflicts_flow_idx').execute();
  await db.schema.dropIndex('sync_conflicts_open_uq').execute();
  await db.schema.dropIndex('sync_snapshots_external_idx').execute();
  const drop = async (table: string, columns: readonly string[]) => {
    for (const column of columns) await db.schema.alterTable(table).dropColumn(column).execute();
  };
  await drop('sync_cursors', ['lease_owner', 'lease_expires_at', 'last_result']);
  await drop('sync_conflicts', ['external_entity', 'kind', 'rule', 'message', 'resolved_by', 'updated_at']);
  await drop('sync_snapshots', ['local_fields', 'erp_hash']);
}

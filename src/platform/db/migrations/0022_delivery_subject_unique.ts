import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';
import { isSqlite } from '../migration-kit.js';

/**
 * PostgreSQL writes a new entry into every index of `outbox_deliveries` on each update that changes an
 * indexed column, and the lease and the acknowledgement both change the status: the unique index on
 * `idempotency_key` cost two index writes per event for a guarantee another index can give. The key is
 * `<subscriber>:<event id>`, and an event is one (subject, sequence) (`outbox_events` has that unique
 * constraint), so a unique (subscriber, subject, sequence) — the index the head-of-subject check and the
 * record history already read — refuses exactly the same duplicates. On SQLite an update only touches
 * the indexes of the columns it changes, so the key's index costs nothing there after the insert (and a
 * column's UNIQUE constraint cannot be dropped without rebuilding the table): SQLite keeps both.
 */
export async function up(db: MigrationDb): Promise<void> {
  if (isSqlite(db)) return;
  await db.schema
    .createIndex('outbox_deliveries_subject_uq')
    .on('outbox_deliveries')
    .columns(['subscriber', 'subject', 'sequence'])
    .unique()
    .execute();
  await db.schema.dropIndex('outbox_deliveries_subject_idx').execute();
  await sql`alter table outbox_deliveries drop constraint outbox_deliveries_idempotency_key_key`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table outbox_deliveries add constraint outbox_deliveries_idempotency_key_key unique (idempotency_key)`.execute(
    db,
  );
  await db.schema
    .createIndex('outbox_deliveries_subject_idx')
    .on('outbox_deliveries')
    .columns(['subscriber', 'subject', 'sequence'])
    .execute();
  await db.schema.dropIndex('outbox_deliveries_subject_uq').execute();
}

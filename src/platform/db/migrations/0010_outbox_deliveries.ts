import type { MigrationDb } from '../migration-kit.js';
import { withSerialPrimaryKey } from '../migration-kit.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('outbox_subscriptions')
    .addColumn('subscriber', 'text', (c) => c.notNull())
    .addColumn('type_pattern', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_subscriptions_pk', ['subscriber', 'type_pattern'])
    .execute();

  await withSerialPrimaryKey(db, db.schema.createTable('outbox_deliveries'), 'id')
    .addColumn('subscriber', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_position', 'bigint', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('event_time', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_error_class', 'text')
    .addColumn('last_error', 'text')
    .addColumn('mapped_request', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  // Leasing scans a subscriber's due work in id order; ordering checks look up earlier events of a subject.
  await db.schema
    .createIndex('outbox_deliveries_due_idx')
    .on('outbox_deliveries')
    .columns(['subscriber', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_deliveries_subject_idx')
    .on('outbox_deliveries')
    .columns(['subscriber', 'subject', 'sequence'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('outbox_deliveries').execute();
  await db.schema.dropTable('outbox_subscriptions').execute();
}

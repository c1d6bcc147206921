import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';

/**
 * Almost every delivery succeeds on its first try, and its `sync_attempts` row (a table with three
 * indexes) was a sixth of the WAL per event on PostgreSQL and about a tenth of SQLite's CPU per event
 * (bench/README.md). Such an attempt is now kept on the delivery row itself: when it started and how
 * long it took. `sync_attempt_log` is the history as before, one row per attempt: the attempt rows,
 * then each first-try success as attempt 1 with the outcome `delivered` (its `id` is null; readers sort
 * it after the rows that have one, which is where its row would have been). Deliveries are
 * acknowledged by their flow, whose subscriber is `flow:<name>`, so the flow name is the subscriber
 * without that prefix.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('outbox_deliveries').addColumn('first_try_started_at', 'text').execute();
  await db.schema.alterTable('outbox_deliveries').addColumn('first_try_duration_ms', 'integer').execute();
  await sql`
    create view sync_attempt_log as
    select id, delivery_id, flow, attempt, started_at, duration_ms, outcome, error_class, error_message
      from sync_attempts
    union all
    select null, id, substr(subscriber, 6), 1, first_try_started_at, first_try_duration_ms, 'delivered',
           null, null
      from outbox_deliveries
     where first_try_started_at is not null`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  // Back to one row per attempt before the columns go.
  await sql`
    insert into sync_attempts (delivery_id, flow, attempt, started_at, duration_ms, outcome)
    select id, substr(subscriber, 6), 1, first_try_started_at, first_try_duration_ms, 'delivered'
      from outbox_deliveries
     where first_try_started_at is not null`.execute(db);
  await sql`drop view sync_attempt_log`.execute(db);
  await db.schema.alterTable('outbox_deliveries').dropColumn('first_try_duration_ms').execute();
  await db.schema.alterTable('outbox_deliveries').dropColumn('first_try_started_at').execute();
}

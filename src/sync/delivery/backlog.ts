import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { heldBySubscriber } from './held-leases.js';

export interface SubscriberBacklog {
  subscriber: string;
  pending: number;
  inFlight: number;
  dead: number;
  /** Event time of the oldest undelivered event, if any. */
  oldestPendingAt: string | null;
}

/**
 * Counts by state per subscriber; delivered rows are not scanned beyond the index. A delivery a SQLite
 * lease holds is still `pending` on its row and is counted in flight.
 */
export async function backlogBySubscriber(db: Kysely<Database>): Promise<SubscriberBacklog[]> {
  const rows = await db
    .selectFrom('outbox_deliveries')
    .select([
      'subscriber',
      sql<number>`sum(case when status = 'pending' then 1 else 0 end)`.as('pending'),
      sql<number>`sum(case when status = 'in_flight' then 1 else 0 end)`.as('in_flight'),
      sql<number>`sum(case when status = 'dead' then 1 else 0 end)`.as('dead'),
      sql<string | null>`min(case when status in ('pending', 'in_flight') then event_time end)`.as('oldest'),
    ])
    .where('status', 'in', ['pending', 'in_flight', 'dead'])
    .groupBy('subscriber')
    .execute();
  const held = await heldBySubscriber(db);
  return rows.map((r) => ({
    subscriber: r.subscriber,
    pending: Number(r.pending) - (held.get(r.subscriber) ?? 0),
    inFlight: Number(r.in_flight) + (held.get(r.subscriber) ?? 0),
    dead: Number(r.dead),
    oldestPendingAt: r.oldest,
  }));
}

/** Deletes attempt rows older than `keepDays` and delivered deliveries older than `keepDays` (bounded retention). */
export async function pruneHistory(
  db: Kysely<Database>,
  keepDays: number,
): Promise<{ attempts: number; deliveries: number }> {
  const before = new Date(Date.now() - keepDays * 86_400_000).toISOString();
  const attempts = await db.deleteFrom('sync_attempts').where('started_at', '<', before).executeTakeFirst();
  // First-try successes keep their attempt on the delivery row (migration 0025): it goes with the row,
  // and is counted as the attempt row it replaces.
  const firstTries = await sql<{ n: number }>`
    select count(*) as n from outbox_deliveries
     where status = 'delivered' and delivered_at < ${before} and first_try_started_at < ${before}`.execute(
    db,
  );
  const deliveries = await db
    .deleteFrom('outbox_deliveries')
    .where('status', '=', 'delivered')
    .where('delivered_at', '<', before)
    .executeTakeFirst();
  return {
    attempts: Number(attempts.numDeletedRows) + Number(firstTries.rows[0]?.n ?? 0),
    deliveries: Number(deliveries.numDeletedRows),
  };
}

/**
 * Makes pending deliveries of these subscribers that wait out a connector failure (ERP down, throttled,
 * refused credentials) due now. Called when the connector's breaker closes again: their backoff was
 * about the ERP, not about them, so the backlog drains at once instead of over the next minutes.
 * Records waiting on their own failure (a conflict) keep their time.
 */
export async function releaseConnectorWaits(
  db: Kysely<Database>,
  subscribers: readonly string[],
  now = new Date(),
): Promise<number> {
  if (subscribers.length === 0) return 0;
  const at = now.toISOString();
  const result = await db
    .updateTable('outbox_deliveries')
    .set({ next_attempt_at: at })
    .where('subscriber', 'in', subscribers)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', at)
    .where('last_error_class', 'in', ['transient', 'rate_limited', 'auth', 'unclassified'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

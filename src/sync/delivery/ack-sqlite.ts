import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { AckRows } from './ack-rows.js';
import { attemptColumns, everyDeliveredFirstTry, firstTryOf, settledColumns } from './ack-rows.js';
import { writeCrosswalk } from './crosswalk-write.js';
import { inList, insertRows, jsonRows } from './json-params.js';
import type { LeasedDelivery, LeaseOptions } from './lease-query.js';
import { leaseWindow } from './lease-query.js';
import { leaseWithin } from './lease-sqlite.js';

/**
 * The acknowledgement as one short transaction. SQLite has no data-modifying CTEs, and its statements
 * cost no round trip. Its leases are rows of their own (lease-sqlite.ts): dropping the owner's leases
 * that hold these deliveries tells which are still ours, and only those are settled. A lease that
 * expired and was reclaimed is gone, so a late acknowledgement changes nothing (the work is leased
 * again; the ERP sees the same idempotency key twice, which it tolerates). The attempt the lease began
 * is counted here, where the row is written anyway. With `next`, the worker's next lease is taken in
 * the same transaction: a busy worker pays one commit per batch instead of two.
 */
export async function acknowledgeOnSqlite(
  db: Kysely<Database>,
  rows: AckRows,
  next?: LeaseOptions,
): Promise<LeasedDelivery[] | undefined> {
  const { owner, now } = rows;
  const outcomeIds = [...rows.delivered, ...rows.settled.map((s) => s.id)];
  return db.transaction().execute(async (tx) => {
    // A whole batch's acknowledgement names exactly its lease's list (the lease stores its ids sorted):
    // that lease row is found by comparing the text, without unpacking any list.
    const wholeBatch = JSON.stringify([...outcomeIds].sort((a, b) => a - b));
    const held = await sql<{ delivery_ids: string }>`
      delete from sync_leases
       where owner = ${owner}
         and (delivery_ids = ${wholeBatch}
              or exists (select 1 from json_each(delivery_ids) j where ${inList(tx, 'j.value', outcomeIds)}))
      returning delivery_ids`.execute(tx);
    const mine = new Set<number>();
    for (const lease of held.rows) for (const id of JSON.parse(lease.delivery_ids) as number[]) mine.add(id);
    const delivered = rows.delivered.filter((id) => mine.has(id));
    if (delivered.length > 0) {
      const firstTry = firstTryOf(rows);
      const firstTrySet = everyDeliveredFirstTry(rows)
        ? sql`first_try_started_at = ${firstTry.started_at}, first_try_duration_ms = ${firstTry.duration_ms}`
        : sql`first_try_started_at = case when ${inList(tx, 'id', firstTry.ids)} then ${firstTry.started_at} end,
              first_try_duration_ms = case when ${inList(tx, 'id', firstTry.ids)} then ${firstTry.duration_ms} end`;
      await sql`
        update outbox_deliveries
           set status = 'delivered', delivered_at = ${now}, last_error_class = null, last_error = null,
               attempts = attempts + 1, ${firstTrySet}, row_reserve = null
         where ${inList(tx, 'id', delivered)} and status = 'pending'`.execute(tx);
      const links = rows.links.filter((l) => mine.has(l.delivery_id));
      if (links.length > 0) await writeCrosswalk(tx, links, now, { upsertFirst: true });
    }
    const settled = rows.settled.filter((s) => mine.has(s.id));
    if (settled.length > 0)
      await sql`
        update outbox_deliveries as d
           set status = f.status, next_attempt_at = f.next_attempt_at, last_error_class = f.error_class,
               last_error = f.error_message, mapped_request = f.mapped_request,
               attempts = coalesce(f.attempts, d.attempts + 1), row_reserve = null
          from ${jsonRows(tx, settled, settledColumns)} as f
         where d.id = f.id and d.status = 'pending'`.execute(tx);
    const attempts = rows.attempts.filter((a) => mine.has(a.delivery_id));
    if (attempts.length > 0) await insertRows(tx, 'sync_attempts', attempts, attemptColumns).execute(tx);
    if (!next) return undefined;
    const { now: at, expires } = leaseWindow(next);
    return leaseWithin(tx, next, at, expires);
  });
}

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { AckRows } from './ack-rows.js';
import { attemptColumns, firstTryOf, settledColumns } from './ack-rows.js';
import { writeCrosswalk } from './crosswalk-write.js';
import { inList, insertRows, jsonRows } from './json-params.js';

/**
 * The acknowledgement as one short transaction. SQLite has no data-modifying CTEs, and its statements
 * cost no round trip, so the updates tell which rows are still ours and the rest follows for those.
 */
export async function acknowledgeOnSqlite(db: Kysely<Database>, rows: AckRows): Promise<void> {
  const { owner, now } = rows;
  await db.transaction().execute(async (tx) => {
    const mine = new Set<number>();
    if (rows.delivered.length > 0) {
      const firstTry = firstTryOf(rows);
      const delivered = await sql<{ id: number }>`
        update outbox_deliveries
           set status = 'delivered', delivered_at = ${now}, last_error_class = null, last_error = null,
               lease_owner = null, lease_expires_at = null,
               first_try_started_at = case when ${inList(tx, 'id', firstTry.ids)} then ${firstTry.started_at} end,
               first_try_duration_ms = case when ${inList(tx, 'id', firstTry.ids)} then ${firstTry.duration_ms} end
         where ${inList(tx, 'id', rows.delivered)} and lease_owner = ${owner} and status = 'in_flight'
        returning id`.execute(tx);
      for (const row of delivered.rows) mine.add(Number(row.id));
      const links = rows.links.filter((l) => mine.has(l.delivery_id));
      if (links.length > 0) await writeCrosswalk(tx, links, now);
    }
    if (rows.settled.length > 0) {
      const settled = await sql<{ id: number }>`
        update outbox_deliveries as d
           set status = f.status, next_attempt_at = f.next_attempt_at, last_error_class = f.error_class,
               last_error = f.error_message, mapped_request = f.mapped_request,
               lease_owner = null, lease_expires_at = null, attempts = coalesce(f.attempts, d.attempts)
          from ${jsonRows(tx, rows.settled, settledColumns)} as f
         where d.id = f.id and d.lease_owner = ${owner} and d.status = 'in_flight'
        returning id`.execute(tx); // SQLite's RETURNING sees only the updated table, unqualified
      for (const row of settled.rows) mine.add(Number(row.id));
    }
    const attempts = rows.attempts.filter((a) => mine.has(a.delivery_id));
    if (attempts.length > 0) await insertRows(tx, 'sync_attempts', attempts, attemptColumns).execute(tx);
  });
}

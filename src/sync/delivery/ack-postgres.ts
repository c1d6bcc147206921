import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { isTransactionConflict, isUniqueViolation } from '../../platform/db/index.js';
import type { AckRows } from './ack-rows.js';
import {
  attemptColumns,
  everyDeliveredFirstTry,
  firstTryOf,
  linkColumns,
  settledColumns,
} from './ack-rows.js';
import { writeCrosswalk } from './crosswalk-write.js';
import { jsonRows } from './json-params.js';
import { leaseClaim, leasedWithPayloads } from './lease-postgres.js';
import type { LeasedDelivery, LeasedRow, LeaseOptions } from './lease-query.js';
import { leaseWindow, toLeased } from './lease-query.js';

/**
 * The whole acknowledgement as one statement (data-modifying CTEs): one round trip, atomic without an
 * explicit transaction. The lease guard (owner and in_flight) is in the updates, and attempt rows and
 * links are written only for the rows those updates returned.
 *
 * Links go in with a plain upsert on (connector, entity, local id). If the ERP id is already linked to
 * another record (ids reused after a restore, two records matched by one reference) the external-id
 * unique constraint refuses the statement, nothing is applied, and the acknowledgement is redone in a
 * transaction that moves the link (`writeCrosswalk`): rare, so it does not cost the common path.
 */
export async function acknowledgeOnPostgres(
  db: Kysely<Database>,
  rows: AckRows,
  next?: LeaseOptions,
): Promise<LeasedDelivery[] | undefined> {
  // A deadlock or serialization failure rolled the whole statement back: it is run again at once rather
  // than left to fail the batch, whose deliveries would then stay in flight until their lease expired.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await acknowledgeOnce(db, rows, next);
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && isTransactionConflict(error)) continue;
      throw error;
    }
  }
}

const MAX_ATTEMPTS = 3;

async function acknowledgeOnce(
  db: Kysely<Database>,
  rows: AckRows,
  next?: LeaseOptions,
): Promise<LeasedDelivery[] | undefined> {
  try {
    if (!next) {
      await ackStatement(db, rows, true).execute(db);
      return undefined;
    }
    // The worker's next lease rides in the same statement: one round trip and one commit fewer a batch.
    const { now, expires } = leaseWindow(next);
    const leased = await sql<LeasedRow>`
      ${ackStatement(db, rows, true, (acknowledged) => leaseClaim(next, now, expires, acknowledged))}
      ${leasedWithPayloads(next)}`.execute(db);
    return toLeased(leased.rows);
  } catch (error) {
    if (!(rows.links.length > 0 && isUniqueViolation(error))) throw error;
    // Redone without the lease: the caller leases on its own.
    await db.transaction().execute(async (tx) => {
      const { delivered } = (await ackStatement(tx, rows, false).execute(tx)).rows[0] ?? { delivered: [] };
      const mine = new Set((delivered ?? []).map(Number));
      await writeCrosswalk(
        tx,
        rows.links.filter((l) => mine.has(l.delivery_id)),
        rows.now,
      );
    });
    return undefined;
  }
}

/**
 * The acknowledgement's CTEs. Alone it ends by selecting the ids it delivered; with `lease` (a `leased`
 * CTE, lease-postgres.ts) it ends after the CTEs, for the caller to select the leased rows.
 *
 * The lease is given a condition that reads every other CTE, so PostgreSQL finishes the acknowledgement
 * before the lease locks anything (left alone, it runs the lease first). Without that order two workers
 * deadlocked: a lease whose snapshot predates another worker's lease still locks those rows' newest
 * versions before it skips them, and holds the locks until its statement ends; when each statement then
 * acknowledged a row the other had locked so, each waited for the other. PostgreSQL broke the cycle
 * after a second by failing one statement, whose batch then stayed in flight until its lease expired,
 * holding back its records' later events. Once its acknowledgement is done a statement waits for
 * nothing (`skip locked`), so waits can no longer form a cycle.
 */
function ackStatement(
  db: Kysely<Database>,
  rows: AckRows,
  withLinks: boolean,
  lease?: (acknowledged: RawBuilder<unknown>) => RawBuilder<unknown>,
) {
  const { owner, now } = rows;
  const firstTry = firstTryOf(rows);
  // Each row tested against the id array costs a scan of it: skipped when every delivered row is first-try.
  const firstTrySet = everyDeliveredFirstTry(rows)
    ? sql`first_try_started_at = ${firstTry.started_at}::text, first_try_duration_ms = ${firstTry.duration_ms}::integer`
    : sql`first_try_started_at = case when id = any(${firstTry.ids}::bigint[]) then ${firstTry.started_at}::text end,
          first_try_duration_ms = case when id = any(${firstTry.ids}::bigint[]) then ${firstTry.duration_ms}::integer end`;
  const links = withLinks
    ? sql`, linked as (
        insert into sync_crosswalk (connector, entity, local_id, external_id, updated_at)
        select l.connector, l.entity, l.local_id, l.external_id, ${now}
          from ${jsonRows(db, rows.links, linkColumns)} as l
         where l.delivery_id in (select id from delivered)
        on conflict (connector, entity, local_id)
        do update set external_id = excluded.external_id, updated_at = excluded.updated_at
         where sync_crosswalk.external_id <> excluded.external_id
        returning 1)`
    : sql``;
  const acknowledged = sql`(select count(*) from (
      select 1 from delivered union all select 1 from settled union all select 1 from recorded
      ${withLinks ? sql`union all select 1 from linked` : sql``}) a) >= 0`;
  return sql<{ delivered: number[] | null }>`
    with delivered as (
      update outbox_deliveries
         set status = 'delivered', delivered_at = ${now}, last_error_class = null, last_error = null,
             lease_owner = null, lease_expires_at = null, ${firstTrySet}
       where id = any(${rows.delivered}::bigint[]) and lease_owner = ${owner} and status = 'in_flight'
      returning id),
    settled as (
      update outbox_deliveries d
         set status = f.status, next_attempt_at = f.next_attempt_at, last_error_class = f.error_class,
             last_error = f.error_message, mapped_request = f.mapped_request,
             lease_owner = null, lease_expires_at = null, attempts = coalesce(f.attempts, d.attempts)
        from ${jsonRows(db, rows.settled, settledColumns)} as f
       where d.id = f.id and d.lease_owner = ${owner} and d.status = 'in_flight'
      returning d.id),
    recorded as (
      insert into sync_attempts (${sql.raw(Object.keys(attemptColumns).join(', '))})
      select ${sql.raw(Object.keys(attemptColumns).join(', '))}
        from ${jsonRows(db, rows.attempts, attemptColumns)} as a
       where a.delivery_id in (select id from delivered union all select id from settled)
      returning 1)
    ${links}
    ${lease ? sql`, ${lease(acknowledged)}` : sql`select array(select id from delivered) as delivered`}`;
}

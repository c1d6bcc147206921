import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { localIdOfSubject } from '../../platform/outbox/index.js';
import type { LeasedDelivery, LeasedRow, LeaseOptions } from './lease-query.js';
import { chosenIds, leasedColumns, leasedColumnsOf, toLeased } from './lease-query.js';

/**
 * PostgreSQL leases the delivery rows themselves: `in_flight` with an owner and an expiry, claimed with
 * `FOR UPDATE SKIP LOCKED` so several hubs lease side by side without waiting. Leasing counts as an
 * attempt, so an event that crashes the hub every time still uses up its attempts.
 */
export async function leaseOnPostgres(
  db: Kysely<Database>,
  options: LeaseOptions,
  now: string,
  expires: string,
): Promise<LeasedDelivery[]> {
  // The claim, the payloads and the links are one statement (a data-modifying CTE): one round trip.
  const rows = (
    await sql<LeasedRow>`
      with ${leaseClaim(options, now, expires)}
      ${leasedWithPayloads}`.execute(db)
  ).rows;
  return withLinks(db, rows, options);
}

/**
 * The claim as a CTE named `leased`: the chosen rows become `in_flight` for this owner, attempt counted.
 * Also used inside the acknowledgement's statement, whose other CTEs settle the previous batch: all see
 * one snapshot, where that batch is still in flight, so the two never touch the same row.
 */
export function leaseClaim(options: LeaseOptions, now: string, expires: string) {
  const chosen = chosenIds(options, now, { lock: sql`for update skip locked` });
  return sql`leased as (
    update outbox_deliveries
       set status = 'in_flight', lease_owner = ${options.owner}, lease_expires_at = ${expires}, attempts = attempts + 1
     where id in (${chosen})
    returning ${leasedColumns}, event_position)`;
}

/** The final select of a statement with a `leased` CTE: each leased row with its event's payload. */
export const leasedWithPayloads = sql`
  select ${leasedColumnsOf('leased')}, e.data as event_data, null as external_id
    from leased left join outbox_events e on e.position = leased.event_position`;

/**
 * The links in a query of their own: joined to the CTE, a planner with stale statistics (a crosswalk
 * that was empty when last analyzed) scans the whole crosswalk for every leased row. Each id is looked
 * up on its own by the full primary key: as `local_id = any($ids)`, PostgreSQL without statistics
 * scans the (connector, entity) prefix and filters, reading every link per batch (9.7 ms at 50,000
 * links). The external-id index does not lead with (connector, entity) (migration 0023), so the
 * primary key is the only index this subquery can use.
 */
export async function withLinks(
  db: Kysely<Database>,
  rows: LeasedRow[],
  options: LeaseOptions,
): Promise<LeasedDelivery[]> {
  const link = options.link;
  if (link && rows.length > 0) {
    const known = await sql<{ local_id: string; external_id: string | null }>`
      select l.local_id, (
        select c.external_id from sync_crosswalk c
         where c.connector = ${link.connector} and c.entity = ${link.entity} and c.local_id = l.local_id
      ) as external_id
        from unnest(${rows.map((r) => localIdOfSubject(r.subject))}::text[]) as l(local_id)`.execute(db);
    const byLocal = new Map(known.rows.map((k) => [k.local_id, k.external_id]));
    for (const row of rows) row.external_id = byLocal.get(localIdOfSubject(row.subject)) ?? null;
  }
  return toLeased(rows);
}

/** Expired leases (their hub died or hung) back to pending; their attempt stays counted. */
export async function reclaimOnPostgres(
  db: Kysely<Database>,
  subscriber: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('outbox_deliveries')
    .set({ status: 'pending', lease_owner: null, lease_expires_at: null })
    .where('subscriber', '=', subscriber)
    .where('status', '=', 'in_flight')
    .where('lease_expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function releaseOnPostgres(db: Kysely<Database>, owner: string): Promise<number> {
  const result = await db
    .updateTable('outbox_deliveries')
    .set({ status: 'pending', lease_owner: null, lease_expires_at: null })
    .where('status', '=', 'in_flight')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

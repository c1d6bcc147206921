import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
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
      ${leasedWithPayloads(options)}`.execute(db)
  ).rows;
  return toLeased(rows);
}

/**
 * The claim as a CTE named `leased`: the chosen rows become `in_flight` for this owner, attempt counted.
 * Also used inside the acknowledgement's statement, whose other CTEs settle the previous batch: all see
 * one snapshot, where that batch is still in flight, so the two never touch the same row.
 *
 * `after` is a condition on those other CTEs that makes the claim wait until they are done (see
 * ack-postgres.ts): the claim may lock rows it then skips, and must not hold them while waiting.
 */
export function leaseClaim(options: LeaseOptions, now: string, expires: string, after?: RawBuilder<unknown>) {
  const chosen = chosenIds(options, now, { lock: sql`for update skip locked` });
  return sql`leased as (
    update outbox_deliveries
       set status = 'in_flight', lease_owner = ${options.owner}, lease_expires_at = ${expires}, attempts = attempts + 1
     where ${after ? sql`${after} and` : sql``} id in (${chosen})
    returning ${leasedColumns}, event_position)`;
}

/**
 * The final select of a statement with a `leased` CTE: each leased row with its event's payload and,
 * when the lease asks for `link`, its record's ERP id.
 *
 * The link is a scalar subquery, which PostgreSQL runs once per leased row and never turns into a join,
 * so it is looked up by the crosswalk's full primary key whatever the statistics say. As a join, a
 * planner with stale statistics (a crosswalk that was empty when last analyzed) scanned the whole
 * crosswalk for every leased row; as `local_id = any($ids)`, it scanned the (connector, entity) prefix
 * (9.7 ms at 50,000 links). The external-id index does not lead with (connector, entity) (migration
 * 0023), so the primary key is the only index it can use.
 *
 * In the acknowledgement's statement the subquery sees the snapshot before that statement's own links
 * are written. It never needs them: a record's next event is leased only once the earlier one has left
 * `in_flight`, which in that snapshot the batch being acknowledged has not.
 */
export function leasedWithPayloads(options: LeaseOptions): RawBuilder<unknown> {
  const link = options.link;
  // substr from strpos + 1 is localIdOfSubject: the whole subject when it has no slash.
  const externalId = link
    ? sql`(select c.external_id from sync_crosswalk c
            where c.connector = ${link.connector} and c.entity = ${link.entity}
              and c.local_id = substr(leased.subject, strpos(leased.subject, '/') + 1))`
    : sql`null`;
  return sql`
    select ${leasedColumnsOf('leased')}, e.data as event_data, ${externalId} as external_id
      from leased left join outbox_events e on e.position = leased.event_position`;
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

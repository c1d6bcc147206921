import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { tupleRows } from '../../platform/db/index.js';
import type { LeasedDelivery, LeaseOptions } from './lease-query.js';
import { chosenIds, dueDeliveries } from './lease-query.js';

/** A leased row as the statement below selects it (`tupleRows`: values in select order). */
type LeasedTuple = [
  id: number,
  event_id: string,
  event_type: string,
  subject: string,
  sequence: number,
  event_time: string,
  idempotency_key: string,
  attempts: number,
  last_error_class: string | null,
  event_data: string | null,
  external_id: string | null,
];

function fromTuple(t: LeasedTuple): LeasedDelivery {
  return {
    id: t[0],
    event_id: t[1],
    event_type: t[2],
    subject: t[3],
    sequence: t[4],
    event_time: t[5],
    idempotency_key: t[6],
    attempts: t[7],
    last_error_class: t[8],
    data: t[9] === null ? null : (JSON.parse(t[9]) as unknown),
    external_id: t[10],
  };
}

/**
 * SQLite keeps leases off the delivery rows (one dispatcher per database file, so leases never need to
 * be claimed row by row against another hub): a lease is one `sync_leases` row listing the deliveries it
 * holds, and those stay `pending` until the acknowledgement settles them. Leasing a batch writes that one
 * small row instead of rewriting every delivery row and moving its due-index entry, and the
 * acknowledgement becomes the only write a delivered row gets.
 *
 * The lease row is what survives a kill: its deliveries stay out of later leases until it expires, and
 * reclaiming it counts the attempt on each of them (`attempts + 1`), so an event that crashes the hub
 * every time still uses up its attempts. A lease that is acknowledged counts the attempt there instead;
 * the attempt returned here is the one the lease starts.
 */
export function leaseOnSqlite(
  db: Kysely<Database>,
  options: LeaseOptions,
  now: string,
  expires: string,
): Promise<LeasedDelivery[]> {
  // One transaction: another worker of this hub must not lease the same rows between the read and the
  // lease row (Kysely serialises the connection, and BEGIN IMMEDIATE takes the write lock up front).
  return db.transaction().execute((tx) => leaseWithin(tx, options, now, expires));
}

/**
 * The lease inside a transaction the caller holds: `leaseOnSqlite`'s own, or the acknowledgement's of
 * the batch before, so that a busy worker's acknowledgement and next lease cost one commit.
 */
export async function leaseWithin(
  tx: Kysely<Database>,
  options: LeaseOptions,
  now: string,
  expires: string,
): Promise<LeasedDelivery[]> {
  const parts = { held: heldIds(sql`l.subscriber = ${options.subscriber}`), firstNeedsNoCheck: true };
  // A batch reads its rows in the pass that finds them (each row is read once, not found by id and read
  // again); a probe picks its one row among the first due ones first.
  const source = options.probe
    ? sql`from outbox_deliveries d where d.id in (${chosenIds(options, now, parts)})`
    : sql`${dueDeliveries(options, now, parts)} limit ${options.limit}`;
  // SQLite's scalar subqueries read the payload and the link by primary key in the same statement.
  const link = options.link;
  const linked = link
    ? sql`(select c.external_id from sync_crosswalk c
            where c.connector = ${link.connector} and c.entity = ${link.entity}
              and c.local_id = substr(d.subject, instr(d.subject, '/') + 1))`
    : sql`null`;
  const rows = (
    await tupleRows<LeasedTuple>(sql`
      select d.id, d.event_id, d.event_type, d.subject, d.sequence, d.event_time, d.idempotency_key,
             d.attempts + 1 as attempts, d.last_error_class,
             (select e.data from outbox_events e where e.position = d.event_position) as event_data,
             ${linked} as external_id
        ${source}`).execute(tx)
  ).rows;
  if (rows.length === 0) return [];
  const leased = rows.map(fromTuple).sort((a, b) => a.id - b.id);
  await sql`insert into sync_leases (subscriber, owner, expires_at, delivery_ids)
            values (${options.subscriber}, ${options.owner}, ${expires},
                    ${JSON.stringify(leased.map((d) => d.id))})`.execute(tx);
  return leased;
}

/**
 * The delivery ids listed by the lease rows (alias `l`) that `where` selects: the one reading of the
 * JSON array, for leasing, reclaiming and the views that show work in flight.
 */
export function heldIds(where: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select j.value from sync_leases l, json_each(l.delivery_ids) j where ${where}`;
}

/**
 * Drops the lease rows `where` selects (alias `l`), counting the attempt each began on its deliveries that
 * are still pending (a lease being given back never reached its acknowledgement). Returns the deliveries
 * freed.
 */
async function dropLeases(db: Kysely<Database>, where: RawBuilder<unknown>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const counted = await sql`
      update outbox_deliveries set attempts = attempts + 1
       where status = 'pending' and id in (${heldIds(where)})`.execute(tx);
    await sql`delete from sync_leases as l where ${where}`.execute(tx);
    return Number(counted.numAffectedRows ?? 0);
  });
}

/** Expired leases (their hub died or hung): their deliveries can be leased again, the attempt counted. */
export function reclaimOnSqlite(db: Kysely<Database>, subscriber: string, now: string): Promise<number> {
  return dropLeases(db, sql`l.subscriber = ${subscriber} and l.expires_at < ${now}`);
}

export function releaseOnSqlite(db: Kysely<Database>, owner: string): Promise<number> {
  return dropLeases(db, sql`l.owner = ${owner}`);
}

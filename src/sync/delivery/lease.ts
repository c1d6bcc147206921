import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import type { OutboxDeliveriesTable } from '../../platform/outbox/index.js';

export type DeliveryRow = Selectable<OutboxDeliveriesTable>;

export interface LeasedDelivery extends DeliveryRow {
  /** The event's data, parsed. */
  data: unknown;
}

export interface LeaseOptions {
  subscriber: string;
  owner: string;
  limit: number;
  leaseMs: number;
  now?: Date;
}

/**
 * Claims up to `limit` due deliveries of one subscriber: pending ones whose retry time has come (work
 * whose holder died is put back to pending by `reclaimExpiredLeases`). Only the head of each subject is eligible —
 * a delivery waits while an earlier event of the same subject is pending, in flight or dead — so one
 * record's events never overtake each other while different records proceed in parallel. On
 * PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several hubs lease side by side without waiting.
 * Leasing counts as an attempt, so an event that crashes the hub every time still reaches the DLQ.
 */
export async function leaseDeliveries(
  db: Kysely<Database>,
  options: LeaseOptions,
): Promise<LeasedDelivery[]> {
  const now = (options.now ?? new Date()).toISOString();
  const expires = new Date(Date.parse(now) + options.leaseMs).toISOString();
  const postgres = engineOf(db) === 'postgres';
  const lock = postgres ? sql`for update skip locked` : sql``;
  const claim = sql<DeliveryRow>`
    update outbox_deliveries
       set status = 'in_flight', lease_owner = ${options.owner}, lease_expires_at = ${expires}, attempts = attempts + 1
     where id in (
       select d.id from outbox_deliveries d
        where d.subscriber = ${options.subscriber} and d.status = 'pending' and d.next_attempt_at <= ${now}
          and not exists (
            select 1 from outbox_deliveries e
             where e.subscriber = d.subscriber and e.subject = d.subject and e.sequence < d.sequence
               and e.status in ('pending', 'in_flight', 'dead'))
        order by d.id
        limit ${options.limit}
        ${lock})
    returning *`;
  // On PostgreSQL the claim and the payload read are one statement (a data-modifying CTE): one round
  // trip per batch instead of two. SQLite has no UPDATE inside WITH, and there a query costs no trip.
  const dataById = new Map<string, string>();
  let rows: DeliveryRow[];
  if (postgres) {
    const joined = await sql<DeliveryRow & { event_data: string | null }>`
      with leased as (${claim})
      select leased.*, e.data as event_data from leased left join outbox_events e on e.id = leased.event_id`.execute(
      db,
    );
    rows = joined.rows.map(({ event_data, ...row }) => {
      if (event_data !== null) dataById.set(row.event_id, event_data);
      return row;
    });
  } else {
    rows = (await claim.execute(db)).rows;
    if (rows.length > 0) {
      const events = await db
        .selectFrom('outbox_events')
        .select(['id', 'data'])
        .where(
          'id',
          'in',
          rows.map((r) => r.event_id),
        )
        .execute();
      for (const e of events) dataById.set(e.id, e.data);
    }
  }
  rows.sort((a, b) => Number(a.id) - Number(b.id));
  if (rows.length === 0) return [];
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    attempts: Number(row.attempts),
    sequence: Number(row.sequence),
    event_position: Number(row.event_position),
    data: JSON.parse(dataById.get(row.event_id) ?? 'null') as unknown,
  }));
}

/**
 * Puts in-flight deliveries whose lease expired (their hub died or hung) back to pending. Kept apart
 * from the lease query so that one stays an index scan in id order; the dispatcher runs it a few times
 * per lease period.
 */
export async function reclaimExpiredLeases(
  db: Kysely<Database>,
  subscriber: string,
  now = new Date(),
): Promise<number> {
  const result = await db
    .updateTable('outbox_deliveries')
    .set({ status: 'pending', lease_owner: null, lease_expires_at: null })
    .where('subscriber', '=', subscriber)
    .where('status', '=', 'in_flight')
    .where('lease_expires_at', '<', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives back a hub's leases at shutdown so another hub need not wait for them to expire. */
export async function releaseLeases(db: Kysely<Database>, owner: string): Promise<number> {
  const result = await db
    .updateTable('outbox_deliveries')
    .set((eb) => ({
      status: 'pending',
      lease_owner: null,
      lease_expires_at: null,
      attempts: eb('attempts', '-', 1),
    }))
    .where('status', '=', 'in_flight')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import type { OutboxDeliveriesTable } from '../../platform/outbox/index.js';
import { localIdOfSubject } from '../../platform/outbox/index.js';

export type DeliveryRow = Selectable<OutboxDeliveriesTable>;

/** What delivering needs of a leased row, and nothing more: every column returned costs per row. */
export interface LeasedDelivery extends Pick<
  DeliveryRow,
  | 'id'
  | 'event_id'
  | 'event_type'
  | 'subject'
  | 'sequence'
  | 'event_time'
  | 'idempotency_key'
  | 'attempts'
  | 'last_error_class'
> {
  /** The event's data, parsed. */
  data: unknown;
  /** The ERP id the crosswalk holds for this record, when the lease was asked for `link`. */
  external_id: string | null;
}

export interface LeaseOptions {
  subscriber: string;
  owner: string;
  limit: number;
  leaseMs: number;
  now?: Date;
  /**
   * The breaker's probe while the connector fails: one delivery, the least-tried of the first
   * `PROBE_WINDOW` due ones, so an outage's probes are spread over records instead of using up one.
   */
  probe?: boolean;
  /** Also read each record's crosswalk entry for this connector and entity (saves a query per batch). */
  link?: { connector: string; entity: string };
}

const PROBE_WINDOW = 200;

const leasedNames = [
  'id',
  'event_id',
  'event_type',
  'subject',
  'sequence',
  'event_time',
  'idempotency_key',
  'attempts',
  'last_error_class',
];
const leasedColumns = sql.raw(leasedNames.join(', '));
const leasedColumnsOf = (table: string) => sql.raw(leasedNames.map((n) => `${table}.${n}`).join(', '));

/**
 * Why the status is a range and the order (status, id): only the due index (subscriber, status, id) can
 * then produce the order, so the plan cannot fall back to walking the primary key past every delivered
 * row. PostgreSQL takes that plan when its statistics were gathered while most rows were pending (a
 * backlog after an outage), and then each lease skips more delivered rows than the last: quadratic
 * exactly while a backlog drains. An equality would let the planner treat the status as a constant and
 * accept the primary key's order as well.
 *
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
  type Row = Omit<LeasedDelivery, 'data' | 'external_id'> & {
    event_data: string | null;
    external_id: string | null;
  };
  const due = sql`
    select d.id, d.attempts from outbox_deliveries d
     where d.subscriber = ${options.subscriber} and d.status between 'pending' and 'pending'
       and d.next_attempt_at <= ${now}
       and not exists (
         select 1 from outbox_deliveries e
          where e.subscriber = d.subscriber and e.subject = d.subject and e.sequence < d.sequence
            and e.status in ('pending', 'in_flight', 'dead'))
     order by d.status, d.id`;
  // A probe takes, among the first due deliveries, one with the fewest attempts: probing the lowest id
  // every time would spend one record's attempts on the whole outage.
  const chosen = options.probe
    ? sql`select w.id from (${due} limit ${PROBE_WINDOW} ${lock}) w order by w.attempts, w.id limit 1`
    : sql`select c.id from (${due} limit ${options.limit} ${lock}) c`;
  // Typed as the full row: the payload and the link are added after the claim.
  const claim = sql<Row>`
    update outbox_deliveries
       set status = 'in_flight', lease_owner = ${options.owner}, lease_expires_at = ${expires}, attempts = attempts + 1
     where id in (${chosen})
    returning ${leasedColumns}, event_position`;
  const link = options.link;
  let rows: Row[];
  if (postgres) {
    // The claim, the payloads and the links are one statement (a data-modifying CTE): one round trip.
    rows = (
      await sql<Row>`
        with leased as (${claim})
        select ${leasedColumnsOf('leased')}, e.data as event_data, null as external_id
          from leased left join outbox_events e on e.position = leased.event_position`.execute(db)
    ).rows;
    // The links in a query of their own: joined to the CTE, a planner with stale statistics (a crosswalk
    // that was empty when last analyzed) scans the whole crosswalk for every leased row. Each id is looked
    // up on its own by the full primary key: as `local_id = any($ids)`, PostgreSQL without statistics
    // scans the (connector, entity) prefix and filters, reading every link per batch (9.7 ms at 50,000
    // links). The external-id index does not lead with (connector, entity) (migration 0023), so the
    // primary key is the only index this subquery can use.
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
  } else {
    // SQLite has no UPDATE inside WITH, but its RETURNING takes scalar subqueries: the payload and the
    // link are read by the claim itself, by primary key, with no second statement.
    const linked = link
      ? sql`(select c.external_id from sync_crosswalk c
              where c.connector = ${link.connector} and c.entity = ${link.entity}
                and c.local_id = substr(subject, instr(subject, '/') + 1))`
      : sql`null`;
    rows = (
      await sql<Row>`
        update outbox_deliveries
           set status = 'in_flight', lease_owner = ${options.owner}, lease_expires_at = ${expires}, attempts = attempts + 1
         where id in (${chosen})
        returning ${leasedColumns},
                  (select e.data from outbox_events e where e.position = event_position) as event_data,
                  ${linked} as external_id`.execute(db)
    ).rows;
  }
  // Built field by field: one object shape for every delivery, no rest/spread copies on the hot path.
  return rows
    .map((row): LeasedDelivery => ({
      id: Number(row.id),
      event_id: row.event_id,
      event_type: row.event_type,
      subject: row.subject,
      sequence: Number(row.sequence),
      event_time: row.event_time,
      idempotency_key: row.idempotency_key,
      attempts: Number(row.attempts),
      last_error_class: row.last_error_class ?? null,
      data: row.event_data === null ? null : (JSON.parse(row.event_data) as unknown),
      external_id: row.external_id ?? null,
    }))
    .sort((a, b) => a.id - b.id);
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

/**
 * Gives back a hub's leases at shutdown so another hub need not wait for them to expire. The attempt the
 * lease counted stays counted: the dispatcher stops only after its batches finished, so a lease still held
 * here is one whose acknowledgement failed, and the ERP may well have seen that batch. Its next attempt is
 * then not a first one, and connectors look it up before creating (`WriteOp.firstAttempt`).
 */
export async function releaseLeases(db: Kysely<Database>, owner: string): Promise<number> {
  const result = await db
    .updateTable('outbox_deliveries')
    .set({ status: 'pending', lease_owner: null, lease_expires_at: null })
    .where('status', '=', 'in_flight')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

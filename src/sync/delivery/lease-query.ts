import type { RawBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { OutboxDeliveriesTable } from '../../platform/outbox/index.js';

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
  /**
   * Start the walk of the due index at this id: deliveries below it are not looked at this time
   * (engine/scan-start.ts says when a worker passes it). A probe ignores it.
   */
  fromId?: number;
}

const PROBE_WINDOW = 200;

/** The lease's clock: when it is taken and when it expires, as stored. */
export function leaseWindow(options: LeaseOptions): { now: string; expires: string } {
  const at = options.now ?? new Date();
  return { now: at.toISOString(), expires: new Date(at.getTime() + options.leaseMs).toISOString() };
}

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
export const leasedColumns = sql.raw(leasedNames.join(', '));
export const leasedColumnsOf = (table: string) => sql.raw(leasedNames.map((n) => `${table}.${n}`).join(', '));

/** A leased row as the engines' statements return it, before its payload is parsed. */
export type LeasedRow = Omit<LeasedDelivery, 'data' | 'external_id'> & {
  event_data: string | null;
  external_id: string | null;
};

/**
 * The due deliveries of one subscriber, as `from … where … order by` with the table aliased `d`: pending
 * ones whose retry time has come. Only the head of each subject is eligible — a delivery waits while an
 * earlier event of the same subject is pending, in flight or dead — so one record's events never
 * overtake each other while different records proceed in parallel. `held` excludes deliveries a SQLite
 * lease holds (they stay pending there).
 *
 * Why the status is a range and the order (status, id): only the due index (subscriber, status, id) can
 * then produce the order, so the plan cannot fall back to walking the primary key past every delivered
 * row. PostgreSQL takes that plan when its statistics were gathered while most rows were pending (a
 * backlog after an outage), and then each lease skips more delivered rows than the last: quadratic
 * exactly while a backlog drains. An equality would let the planner treat the status as a constant and
 * accept the primary key's order as well.
 */
export function dueDeliveries(
  options: LeaseOptions,
  now: string,
  parts: { held?: RawBuilder<unknown>; firstNeedsNoCheck?: boolean },
): RawBuilder<unknown> {
  const held = parts.held ? sql`and d.id not in (${parts.held})` : sql``;
  // A subject's first event (sequences start at 1) has nothing to wait for. SQLite then skips the
  // look-up; PostgreSQL is not offered the OR, which would keep it from planning the check as a join.
  const firstOfSubject = parts.firstNeedsNoCheck ? sql`d.sequence = 1 or` : sql``;
  // As a row value, the start id positions the index walk together with the status (a plain id bound
  // after the status range would only filter it).
  const from =
    options.fromId === undefined || options.probe
      ? sql``
      : sql`and (d.status, d.id) >= ('pending', ${options.fromId})`;
  return sql`
      from outbox_deliveries d
     where d.subscriber = ${options.subscriber} and d.status between 'pending' and 'pending' ${from}
       and d.next_attempt_at <= ${now} ${held}
       and (${firstOfSubject} not exists (
         select 1 from outbox_deliveries e
          where e.subscriber = d.subscriber and e.subject = d.subject and e.sequence < d.sequence
            and e.status in ('pending', 'in_flight', 'dead')))
     order by d.status, d.id`;
}

/**
 * The ids of the deliveries a lease takes: up to `limit` of `dueDeliveries`, or for a probe the one
 * described at `probe`. `lock` is PostgreSQL's `for update skip locked`.
 */
export function chosenIds(
  options: LeaseOptions,
  now: string,
  parts: { lock?: RawBuilder<unknown>; held?: RawBuilder<unknown>; firstNeedsNoCheck?: boolean },
): RawBuilder<unknown> {
  const lock = parts.lock ?? sql``;
  const due = sql`select d.id, d.attempts ${dueDeliveries(options, now, parts)}`;
  // A probe takes, among the first due deliveries, one with the fewest attempts: probing the lowest id
  // every time would spend one record's attempts on the whole outage.
  return options.probe
    ? sql`select w.id from (${due} limit ${PROBE_WINDOW} ${lock}) w order by w.attempts, w.id limit 1`
    : sql`select c.id from (${due} limit ${options.limit} ${lock}) c`;
}

/** Built field by field: one object shape for every delivery, no rest/spread copies on the hot path. */
export function toLeased(rows: readonly LeasedRow[]): LeasedDelivery[] {
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

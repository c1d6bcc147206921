import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';

export interface DeadLetterFilter {
  flow?: string;
  /** Matches the event type's entity prefix, e.g. `customer` for `customer.updated`. */
  entity?: string;
  errorClass?: string;
  /** Only letters whose event is older than this ISO time. */
  olderThan?: string;
  ids?: number[];
}

export interface DeadLetter {
  id: number;
  flow: string;
  eventId: string;
  eventType: string;
  subject: string;
  sequence: number;
  eventTime: string;
  attempts: number;
  errorClass: string | null;
  error: string | null;
  mappedRequest: unknown;
  idempotencyKey: string;
}

const flowPrefix = 'flow:';

/**
 * The dead letters a filter names, as a query to select from or insert from (the list, the count and a
 * replay all use it, so a replay takes exactly what the list shows). Every given value constrains, even
 * an empty one: an empty `ids` or `flow` matches nothing, never everything, since an unconstrained
 * replay would put back every dead letter.
 */
export function deadLetterQuery(db: Kysely<Database>, filter: DeadLetterFilter) {
  let query = db.selectFrom('outbox_deliveries').where('status', '=', 'dead');
  if (filter.flow !== undefined) query = query.where('subscriber', '=', `${flowPrefix}${filter.flow}`);
  if (filter.entity !== undefined) query = query.where('event_type', 'like', `${filter.entity}.%`);
  if (filter.errorClass !== undefined) query = query.where('last_error_class', '=', filter.errorClass);
  if (filter.olderThan !== undefined) query = query.where('event_time', '<', filter.olderThan);
  const { ids } = filter;
  if (ids !== undefined) query = query.where((eb) => (ids.length > 0 ? eb('id', 'in', ids) : eb.lit(false)));
  return query;
}

export async function listDeadLetters(
  db: Kysely<Database>,
  filter: DeadLetterFilter,
  page: { limit: number; afterId?: number },
): Promise<{ data: DeadLetter[]; nextAfterId: number | null }> {
  let query = deadLetterQuery(db, filter)
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  const rows = await query.execute();
  const data = rows.slice(0, page.limit).map((r) => ({
    id: Number(r.id),
    flow: r.subscriber.startsWith(flowPrefix) ? r.subscriber.slice(flowPrefix.length) : r.subscriber,
    eventId: r.event_id,
    eventType: r.event_type,
    subject: r.subject,
    sequence: Number(r.sequence),
    eventTime: r.event_time,
    attempts: Number(r.attempts),
    errorClass: r.last_error_class,
    error: r.last_error,
    mappedRequest: r.mapped_request === null ? null : (JSON.parse(r.mapped_request) as unknown),
    idempotencyKey: r.idempotency_key,
  }));
  return { data, nextAfterId: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

export async function countDeadLetters(db: Kysely<Database>, filter: DeadLetterFilter = {}): Promise<number> {
  const row = await deadLetterQuery(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Puts dead letters back in the queue with a fresh attempt budget. Only rows still dead are touched, so
 * replaying the same selection twice changes nothing the second time; the ERP sees the original
 * idempotency key again, so an effect that did land is not repeated.
 */
export async function replayDeadLetters(db: Kysely<Database>, filter: DeadLetterFilter): Promise<number> {
  const ids = (await deadLetterQuery(db, filter).select('id').execute()).map((r) => Number(r.id));
  if (ids.length === 0) return 0;
  let replayed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const result = await db
      .updateTable('outbox_deliveries')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: new Date().toISOString(),
        lease_owner: null,
        lease_expires_at: null,
      })
      .where('status', '=', 'dead')
      .where('id', 'in', ids.slice(i, i + 500))
      .executeTakeFirst();
    replayed += Number(result.numUpdatedRows);
  }
  return replayed;
}

export async function attemptsOf(db: Kysely<Database>, deliveryId: number) {
  return (
    db
      .selectFrom('sync_attempt_log')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      // A first-try success kept on its delivery row has no id; it came after every attempt row.
      .orderBy(sql`id is null`)
      .orderBy('id')
      .execute()
  );
}

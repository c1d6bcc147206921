import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { heldAmong } from '../delivery/index.js';

export interface HistoryAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** delivered | retry | dead */
  outcome: string;
  errorClass: string | null;
  errorMessage: string | null;
}

export interface HistoryDelivery {
  id: number;
  flow: string;
  /** pending | in_flight | delivered | dead */
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  errorClass: string | null;
  error: string | null;
  idempotencyKey: string;
  attemptLog: HistoryAttempt[];
}

export interface HistoryEvent {
  id: string;
  type: string;
  sequence: number;
  time: string;
  deliveries: HistoryDelivery[];
  /**
   * Why an event has no delivery: `no_flow` — no flow takes this event type, it stays in Fieldsync;
   * `history_pruned` — a flow takes it, and the event is older than the delivery history kept
   * (`historyDays`): delivered rows are pruned after that, so its delivery is gone (it was sent, unless
   * it also predates the flow: the store no longer tells); `before_subscription` — a flow takes it now,
   * but the event committed before that flow was subscribed (flows see events committed after they were
   * subscribed; a backfill is explicit). Null when a delivery is there.
   */
  notSent: NotSent | null;
}

export type NotSent = 'no_flow' | 'history_pruned' | 'before_subscription';

export interface RecordHistory {
  subject: string;
  localId: string;
  /** The record's ids in connected systems (the crosswalk), per connector and entity. */
  links: { connector: string; entity: string; externalId: string; updatedAt: string }[];
  /** Newest first. */
  events: HistoryEvent[];
  /** Pass as `beforeSequence` for older events; null when these are the oldest. */
  nextBeforeSequence: number | null;
  /** Days of delivery history kept; null when unknown (nothing is then called pruned). */
  historyDays: number | null;
}

export interface RecordHistoryQuery {
  subject: string;
  limit: number;
  beforeSequence?: number;
  /** Connector and entity names whose crosswalk may hold this record (from the running flows). */
  crosswalk?: { connectors: string[]; entities: string[] };
  /** Days of delivery history kept (`sync.historyDays`). */
  historyDays?: number;
  /** "Now", for the retention cut-off (tests). */
  now?: Date;
}

const flowPrefix = 'flow:';

/** `customer/0192…` → `0192…` (the same rule the dispatcher uses for the crosswalk's local id). */
function localIdOf(subject: string): string {
  const slash = subject.indexOf('/');
  return slash === -1 ? subject : subject.slice(slash + 1);
}

/**
 * One record's sync history: its outbox events (newest first), for each the delivery to every flow that
 * took it, and every attempt of each delivery with its outcome and error. Reads go through existing
 * indexes only: events by (subject, sequence); deliveries by (subscriber, subject, sequence), with the
 * subscribers from the subscription table; attempts by delivery id; crosswalk by its primary key.
 */
export async function recordHistory(db: Kysely<Database>, query: RecordHistoryQuery): Promise<RecordHistory> {
  let eventsQuery = db
    .selectFrom('outbox_events')
    .select(['id', 'type', 'sequence', 'time'])
    .where('subject', '=', query.subject)
    .orderBy('sequence', 'desc')
    .limit(query.limit + 1);
  if (query.beforeSequence !== undefined)
    eventsQuery = eventsQuery.where('sequence', '<', query.beforeSequence);
  const eventRows = await eventsQuery.execute();
  const page = eventRows.slice(0, query.limit);
  const localId = localIdOf(query.subject);
  const links = await crosswalkLinks(db, localId, query.crosswalk);
  const historyDays = query.historyDays ?? null;
  if (page.length === 0)
    return { subject: query.subject, localId, links, events: [], nextBeforeSequence: null, historyDays };

  const subscriptions = await db
    .selectFrom('outbox_subscriptions')
    .select(['subscriber', 'type_pattern'])
    .execute();
  const subscribers = [...new Set(subscriptions.map((r) => r.subscriber))];
  const sequences = page.map((e) => Number(e.sequence));
  const deliveries =
    subscribers.length === 0
      ? []
      : await db
          .selectFrom('outbox_deliveries')
          .select([
            'id',
            'subscriber',
            'event_id',
            'status',
            'attempts',
            'next_attempt_at',
            'delivered_at',
            'last_error_class',
            'last_error',
            'idempotency_key',
          ])
          .where('subscriber', 'in', subscribers)
          .where('subject', '=', query.subject)
          .where('sequence', '>=', Math.min(...sequences))
          .where('sequence', '<=', Math.max(...sequences))
          .orderBy('id')
          .execute();
  const attempts =
    deliveries.length === 0
      ? []
      : await db
          .selectFrom('sync_attempt_log')
          .selectAll()
          .where(
            'delivery_id',
            'in',
            deliveries.map((d) => Number(d.id)),
          )
          .orderBy('delivery_id')
          .orderBy('attempt')
          // A first-try success kept on its delivery row has no id; it came last among its attempts.
          .orderBy(sql`id is null`)
          .orderBy('id')
          .execute();
  const held = await heldAmong(
    db,
    deliveries.map((d) => Number(d.id)),
  );
  const attemptsByDelivery = new Map<number, HistoryAttempt[]>();
  for (const a of attempts) {
    const list = attemptsByDelivery.get(Number(a.delivery_id)) ?? [];
    list.push({
      attempt: Number(a.attempt),
      startedAt: a.started_at,
      durationMs: Number(a.duration_ms),
      outcome: a.outcome,
      errorClass: a.error_class,
      errorMessage: a.error_message,
    });
    attemptsByDelivery.set(Number(a.delivery_id), list);
  }
  const deliveriesByEvent = new Map<string, HistoryDelivery[]>();
  for (const d of deliveries) {
    const list = deliveriesByEvent.get(d.event_id) ?? [];
    list.push({
      id: Number(d.id),
      flow: d.subscriber.startsWith(flowPrefix) ? d.subscriber.slice(flowPrefix.length) : d.subscriber,
      // A SQLite lease leaves its row pending and counts its attempt at the acknowledgement.
      status: held.has(Number(d.id)) ? 'in_flight' : d.status,
      attempts: Number(d.attempts) + (held.has(Number(d.id)) ? 1 : 0),
      nextAttemptAt: d.status === 'pending' && !held.has(Number(d.id)) ? d.next_attempt_at : null,
      deliveredAt: d.delivered_at,
      errorClass: d.last_error_class,
      error: d.last_error,
      idempotencyKey: d.idempotency_key,
      attemptLog: attemptsByDelivery.get(Number(d.id)) ?? [],
    });
    deliveriesByEvent.set(d.event_id, list);
  }
  // Pruning removes delivered rows older than the cut-off, and a delivery is never older than its event:
  // an event newer than the cut-off has lost nothing, so no delivery there means it was never sent.
  const prunedBefore =
    historyDays === null
      ? null
      : new Date((query.now ?? new Date()).getTime() - historyDays * 86_400_000).toISOString();
  const notSentOf = (e: { id: string; type: string; time: string }): NotSent | null => {
    if (deliveriesByEvent.has(e.id)) return null;
    if (!subscriptions.some((sub) => typeMatches(sub.type_pattern, e.type))) return 'no_flow';
    return prunedBefore !== null && e.time < prunedBefore ? 'history_pruned' : 'before_subscription';
  };
  return {
    subject: query.subject,
    localId,
    links,
    events: page.map((e) => ({
      id: e.id,
      type: e.type,
      sequence: Number(e.sequence),
      time: e.time,
      deliveries: deliveriesByEvent.get(e.id) ?? [],
      notSent: notSentOf(e),
    })),
    nextBeforeSequence: eventRows.length > query.limit ? Number(page.at(-1)?.sequence) : null,
    historyDays,
  };
}

/** The outbox's fan-out rule, in code: an exact type, `*`, or a `prefix.*` pattern. */
function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  return pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1));
}

async function crosswalkLinks(
  db: Kysely<Database>,
  localId: string,
  scope: RecordHistoryQuery['crosswalk'],
): Promise<RecordHistory['links']> {
  if (!scope || scope.connectors.length === 0 || scope.entities.length === 0) return [];
  const rows = await db
    .selectFrom('sync_crosswalk')
    .selectAll()
    .where('connector', 'in', scope.connectors)
    .where('entity', 'in', scope.entities)
    .where('local_id', '=', localId)
    .orderBy('connector')
    .orderBy('entity')
    .execute();
  return rows.map((r) => ({
    connector: r.connector,
    entity: r.entity,
    externalId: r.external_id,
    updatedAt: r.updated_at,
  }));
}

import { EventEmitter } from 'node:events';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { nowIso } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Database } from '../db/database.js';
import type { CloudEvent, NewEvent } from './event.js';

export type Db = Kysely<Database>;

/**
 * A business write in progress: its transaction plus the means to announce what it did. Rows and events
 * commit together or not at all; that is the whole point of the outbox.
 */
export interface UnitOfWork {
  readonly tx: Transaction<Database>;
  emit<TData>(event: NewEvent<TData>): Promise<CloudEvent<TData>>;
}

/** Services accept either a database (they open the transaction) or a running unit of work (they join it). */
export type Executor = Db | UnitOfWork;

/** Fires after a commit that wrote events, so an in-process dispatcher can wake without polling. */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);

function isUnitOfWork(executor: Executor): executor is UnitOfWork {
  return 'emit' in executor && 'tx' in executor;
}

/**
 * Creates one delivery row per subscriber whose pattern matches, in the event's own transaction: a
 * subscriber therefore sees every committed event exactly once, in per-subject sequence order, without
 * scanning the outbox behind a moving cursor (which on PostgreSQL can skip rows of late-committing
 * transactions).
 */
async function fanOutToSubscribers(
  tx: Transaction<Database>,
  event: { id: string; position: number; type: string; subject: string; sequence: number; time: string },
): Promise<void> {
  await sql`
    insert into outbox_deliveries
      (subscriber, event_id, event_position, event_type, subject, sequence, event_time, idempotency_key,
       status, attempts, next_attempt_at, created_at)
    select subscriber, ${event.id}, ${event.position}, ${event.type}, ${event.subject}, ${event.sequence},
           ${event.time}, subscriber || ':' || ${event.id}, 'pending', 0, ${event.time}, ${event.time}
    from outbox_subscriptions
    where type_pattern = ${event.type} or type_pattern = '*'
       or (type_pattern like '%.*' and ${event.type} like replace(type_pattern, '*', '%'))
    group by subscriber`.execute(tx);
}

class TransactionUnitOfWork implements UnitOfWork {
  eventCount = 0;
  constructor(readonly tx: Transaction<Database>) {}

  async emit<TData>(event: NewEvent<TData>): Promise<CloudEvent<TData>> {
    const { last_sequence: sequence } = await this.tx
      .insertInto('subject_sequences')
      .values({ subject: event.subject, last_sequence: 1 })
      .onConflict((oc) =>
        oc.column('subject').doUpdateSet({ last_sequence: sql<number>`subject_sequences.last_sequence + 1` }),
      )
      .returning('last_sequence')
      .executeTakeFirstOrThrow();
    const stored = {
      id: newId(),
      source: event.source ?? `/fieldsync/${event.type.split('.')[0] ?? 'core'}`,
      type: event.type,
      subject: event.subject,
      sequence: Number(sequence),
      time: nowIso(),
      data: JSON.stringify(event.data),
    };
    const { position } = await this.tx
      .insertInto('outbox_events')
      .values(stored)
      .returning('position')
      .executeTakeFirstOrThrow();
    await fanOutToSubscribers(this.tx, { ...stored, position: Number(position) });
    this.eventCount += 1;
    return {
      specversion: '1.0',
      datacontenttype: 'application/json',
      ...stored,
      position: Number(position),
      data: event.data,
    };
  }
}

/**
 * The one way domain code writes: runs `work` in a transaction (or inside the caller's), commits its rows
 * and every event it emitted together. A thrown error rolls back both.
 */
export async function inTransaction<T>(
  executor: Executor,
  work: (uow: UnitOfWork) => Promise<T>,
): Promise<T> {
  if (isUnitOfWork(executor)) return work(executor);
  let uow: TransactionUnitOfWork | undefined;
  const result = await executor.transaction().execute(async (tx) => {
    uow = new TransactionUnitOfWork(tx);
    return work(uow);
  });
  if (uow && uow.eventCount > 0) outboxSignal.emit('committed', uow.eventCount);
  return result;
}

/** Reads go through the plain database or the running transaction, whichever the caller holds. */
export function queryable(executor: Executor): Kysely<Database> {
  return isUnitOfWork(executor) ? executor.tx : executor;
}

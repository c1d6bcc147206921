import { sql } from 'kysely';
import type { UnitOfWork } from '../../platform/outbox/index.js';

/**
 * The next human work-order number (WO-000001, WO-000002, ...). One upsert that increments and returns
 * the counter: on PostgreSQL the conflicting row is locked until commit, so two transactions can never
 * read the same value; on SQLite the transaction already holds the write lock. A rolled-back work order
 * gives its number back, so numbers have no gaps from failed requests.
 */
export async function nextWorkOrderNumber(uow: UnitOfWork): Promise<string> {
  const { value } = await uow.tx
    .insertInto('work_order_counters')
    .values({ name: 'work_order', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`work_order_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return formatWorkOrderNumber(Number(value));
}

export function formatWorkOrderNumber(n: number): string {
  return `WO-${String(n).padStart(6, '0')}`;
}

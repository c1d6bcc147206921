import { sql } from 'kysely';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import type { DocumentKind } from './schemas.js';

/** Invoices (work orders and recurring fees) share one series; credit notes have their own. */
const series = {
  work_order: { counter: 'invoice', prefix: 'BD' },
  recurring_fee: { counter: 'invoice', prefix: 'BD' },
  credit_note: { counter: 'credit_note', prefix: 'CN' },
} as const satisfies Record<DocumentKind, { counter: string; prefix: string }>;

/**
 * The next document number of the kind's series. One upsert increments and returns the counter: on
 * PostgreSQL the conflicting row stays locked until commit, so two transactions never get the same
 * value; on SQLite the transaction already holds the write lock. A rolled-back write gives its number
 * back, so failed requests leave no gaps.
 */
export async function nextDocumentNumber(uow: UnitOfWork, kind: DocumentKind): Promise<string> {
  const { counter, prefix } = series[kind];
  const { value } = await uow.tx
    .insertInto('billing_counters')
    .values({ name: counter, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`billing_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return `${prefix}-${String(value).padStart(6, '0')}`;
}

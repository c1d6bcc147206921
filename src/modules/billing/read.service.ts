import { sql } from 'kysely';
import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { fromMinorUnits } from '../../shared/money.js';
import { contractCapUsage } from './cap-ledger.js';
import { parseInput } from '../../shared/parse-input.js';
import { hydrateDocuments, listDocumentRows, loadDocument } from './repository.js';
import type { BillingDocument, DocumentListFilter } from './schemas.js';
import { documentListQuerySchema } from './schemas.js';

export function getBillingDocument(executor: Executor, id: string): Promise<BillingDocument> {
  return loadDocument(queryable(executor), id);
}

/** The document with this number (numbers are unique: invoices and credit notes alike), or undefined. */
export async function findBillingDocumentByNumber(
  executor: Executor,
  number: string,
): Promise<BillingDocument | undefined> {
  const db = queryable(executor);
  const row = await db
    .selectFrom('billing_documents')
    .select('id')
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? loadDocument(db, row.id) : undefined;
}

export async function listBillingDocuments(
  executor: Executor,
  rawFilter: DocumentListFilter,
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: BillingDocument[]; nextAfterId: string | null }> {
  const filter = parseInput(documentListQuerySchema, rawFilter);
  if (filter.from && filter.to && filter.to < filter.from) {
    throw errors.validation('to must not be before from', [
      { path: ['to'], message: `must not be before ${filter.from}` },
    ]);
  }
  const db = queryable(executor);
  const rows = await listDocumentRows(db, filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: await hydrateDocuments(db, pageRows),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

/** What the contract's caps have consumed so far, per cap and period (credits already released). */
export function getContractCapUsage(executor: Executor, contractId: string) {
  return contractCapUsage(queryable(executor), contractId);
}

export interface BillingSummaryFilter {
  from: string;
  to: string;
  region?: string;
  customerId?: string;
  contractId?: string;
}

export interface BillingSummaryRow {
  customerId: string;
  customerName: string;
  contractId: string | null;
  contractNumber: string | null;
  currency: string;
  documents: number;
  /** Net of work-order documents (before credits). */
  workOrderNet: string;
  /** Net of recurring-fee documents (before credits). */
  recurringFeeNet: string;
  /** Credit notes of work-order documents (negative). */
  workOrderCredits: string;
  /** Credit notes of recurring-fee documents (negative). */
  recurringFeeCredits: string;
  gross: string;
  discount: string;
  covered: string;
  net: string;
}

/**
 * Revenue by customer × contract × currency over documents dated from..to, as one SQL aggregate (both
 * engines). Drafts are not revenue; a credited document counts in its own period and its credit note
 * (negative) in the credit's. The reports module builds service revenue and contract profitability on it.
 */
export async function summarizeBilling(
  executor: Executor,
  filter: BillingSummaryFilter,
): Promise<BillingSummaryRow[]> {
  const db = queryable(executor);
  const sumWhere = (condition: ReturnType<typeof sql<boolean>>) =>
    sql<string | number>`sum(case when ${condition} then net_minor else 0 end)`;
  let query = db
    .selectFrom('billing_documents')
    .select(['customer_id', 'contract_id', 'currency'])
    .select((eb) => [
      eb.fn.max('customer_name').as('customer_name'),
      eb.fn.max('contract_number').as('contract_number'),
      eb.fn.countAll<string | number>().as('documents'),
      eb.fn.sum<string | number>('gross_minor').as('gross'),
      eb.fn.sum<string | number>('discount_minor').as('discount'),
      eb.fn.sum<string | number>('covered_minor').as('covered'),
      eb.fn.sum<string | number>('net_minor').as('net'),
      sumWhere(sql<boolean>`kind = 'work_order'`).as('wo_net'),
      sumWhere(sql<boolean>`kind = 'recurring_fee'`).as('fee_net'),
      sumWhere(sql<boolean>`kind = 'credit_note' and period_key is null`).as('wo_credits'),
      sumWhere(sql<boolean>`kind = 'credit_note' and period_key is not null`).as('fee_credits'),
    ])
    .where('status', '!=', 'draft')
    .where('document_date', '>=', filter.from)
    .where('document_date', '<=', filter.to);
  if (filter.region) query = query.where('region', '=', filter.region);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.contractId) query = query.where('contract_id', '=', filter.contractId);
  const rows = await query.groupBy(['customer_id', 'contract_id', 'currency']).execute();
  // Sorted here: the engines order NULL contract ids differently.
  const key = (r: (typeof rows)[number]) => `${r.customer_id}|${r.contract_id ?? ''}|${r.currency}`;
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return rows.map((r) => {
    const m = (v: string | number | null) => fromMinorUnits(Number(v ?? 0), r.currency);
    return {
      customerId: r.customer_id,
      customerName: String(r.customer_name ?? ''),
      contractId: r.contract_id,
      contractNumber: r.contract_number === null ? null : String(r.contract_number),
      currency: r.currency,
      documents: Number(r.documents),
      workOrderNet: m(r.wo_net),
      recurringFeeNet: m(r.fee_net),
      workOrderCredits: m(r.wo_credits),
      recurringFeeCredits: m(r.fee_credits),
      gross: m(r.gross),
      discount: m(r.discount),
      covered: m(r.covered),
      net: m(r.net),
    };
  });
}

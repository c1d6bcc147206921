import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { fromMinorUnits } from '../../shared/money.js';
import { milliToQuantity } from '../../shared/quantity.js';
import type {
  BillingAddress,
  BillingDocument,
  BillingLine,
  DocumentKind,
  DocumentListFilter,
  DocumentStatus,
} from './schemas.js';
import type { BillingDocumentsTable, BillingLinesTable } from './tables.js';

export type DocumentRow = Selectable<BillingDocumentsTable>;
export type LineRow = Selectable<BillingLinesTable>;
export type NewDocumentRow = Insertable<BillingDocumentsTable>;
export type NewLineRow = Omit<Insertable<BillingLinesTable>, 'id' | 'document_id'>;

const money = (minor: number | string, currency: string) => ({
  amount: fromMinorUnits(Number(minor), currency),
  currency,
});

function lineFromRow(row: LineRow, currency: string): BillingLine {
  const coverage = JSON.parse(row.coverage) as BillingLine['coverage'];
  return {
    lineNo: Number(row.line_no),
    kind: row.kind as BillingLine['kind'],
    code: row.code,
    description: row.description,
    quantity: milliToQuantity(Number(row.quantity_milli)),
    unit: row.unit,
    unitPrice: { amount: row.unit_price, currency },
    priceListId: row.price_list_id,
    priceBasis: row.price_basis as BillingLine['priceBasis'],
    grossAmount: money(row.gross_minor, currency),
    discountPct: row.discount_pct,
    discountAmount: money(row.discount_minor, currency),
    coveredPct: row.covered_pct,
    coveredAmount: money(row.covered_minor, currency),
    coverage,
    netAmount: money(row.net_minor, currency),
    taxCategory: row.tax_category,
    itemId: row.item_id,
    sku: row.sku,
    assetId: row.asset_id,
    costCenter: row.cost_center,
    reasons: JSON.parse(row.reasons) as BillingLine['reasons'],
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

interface Refs {
  numbers: Map<string, { number: string; erpNumber: string | null }>;
}

export function documentFromRow(row: DocumentRow, lines: LineRow[], refs: Refs): BillingDocument {
  const c = row.currency;
  const credits = row.credits_document_id ? refs.numbers.get(row.credits_document_id) : undefined;
  const creditedBy = row.credited_by_document_id ? refs.numbers.get(row.credited_by_document_id) : undefined;
  return {
    id: row.id,
    number: row.number,
    kind: row.kind as DocumentKind,
    status: row.status as DocumentStatus,
    documentDate: row.document_date,
    currency: c,
    customer: {
      id: row.customer_id,
      code: row.customer_code,
      name: row.customer_name,
      legalName: row.customer_legal_name,
      taxId: row.customer_tax_id,
    },
    billingAddress: row.billing_address ? (JSON.parse(row.billing_address) as BillingAddress) : null,
    region: row.region,
    costCenter: row.cost_center,
    workOrder:
      row.work_order_id && row.work_order_number
        ? {
            id: row.work_order_id,
            number: row.work_order_number,
            type: row.work_order_type ?? '',
            completedAt: row.work_order_completed_at,
            revision: Number(row.work_order_revision ?? 0),
          }
        : null,
    contract:
      row.contract_id && row.contract_number
        ? {
            id: row.contract_id,
            number: row.contract_number,
            versionId: row.contract_version_id,
            versionNo: row.contract_version_no === null ? null : Number(row.contract_version_no),
          }
        : null,
    period:
      row.period_key && row.period_start && row.period_end
        ? { key: row.period_key, start: row.period_start, end: row.period_end }
        : null,
    creditsDocument:
      row.credits_document_id && credits
        ? { id: row.credits_document_id, number: credits.number, erpNumber: credits.erpNumber }
        : null,
    creditedBy:
      row.credited_by_document_id && creditedBy
        ? { id: row.credited_by_document_id, number: creditedBy.number }
        : null,
    creditReason: row.credit_reason,
    lines: lines.map((l) => lineFromRow(l, c)),
    totals: {
      gross: money(row.gross_minor, c),
      discount: money(row.discount_minor, c),
      covered: money(row.covered_minor, c),
      coveredByContract: money(row.covered_by_contract_minor, c),
      coveredByWarranty: money(row.covered_by_warranty_minor, c),
      net: money(row.net_minor, c),
    },
    zeroAmount: Number(row.zero_amount) === 1,
    explanation: JSON.parse(row.explanation) as string[],
    capConsumption: JSON.parse(row.cap_consumption) as Record<string, unknown>[],
    pricing: row.pricing ? (JSON.parse(row.pricing) as BillingDocument['pricing']) : null,
    externalRef: row.external_ref,
    erpNumber: row.erp_number,
    approvedAt: row.approved_at,
    sentAt: row.sent_at,
    invoicedAt: row.invoiced_at,
    creditedAt: row.credited_at,
    revision: Number(row.revision),
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Documents with their lines and the numbers of the documents they reference, in the rows' order. */
export async function hydrateDocuments(
  db: Kysely<Database>,
  rows: DocumentRow[],
): Promise<BillingDocument[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const lineRows = await db
    .selectFrom('billing_lines')
    .selectAll()
    .where('document_id', 'in', ids)
    .orderBy('document_id')
    .orderBy('line_no')
    .execute();
  const byDoc = new Map<string, LineRow[]>();
  for (const line of lineRows) {
    const list = byDoc.get(line.document_id) ?? [];
    list.push(line);
    byDoc.set(line.document_id, list);
  }
  const refIds = [
    ...new Set(
      rows.flatMap((r) => [r.credits_document_id, r.credited_by_document_id]).filter((v): v is string => !!v),
    ),
  ];
  const numbers = new Map<string, { number: string; erpNumber: string | null }>();
  if (refIds.length > 0) {
    const refRows = await db
      .selectFrom('billing_documents')
      .select(['id', 'number', 'erp_number'])
      .where('id', 'in', refIds)
      .execute();
    for (const r of refRows) numbers.set(r.id, { number: r.number, erpNumber: r.erp_number });
  }
  return rows.map((row) => documentFromRow(row, byDoc.get(row.id) ?? [], { numbers }));
}

export async function findDocumentRow(db: Kysely<Database>, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('billing_documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function loadDocument(db: Kysely<Database>, id: string): Promise<BillingDocument> {
  const row = await findDocumentRow(db, id);
  if (!row) throw errors.notFound('billing document', id);
  const [doc] = await hydrateDocuments(db, [row]);
  if (!doc) throw errors.notFound('billing document', id);
  return doc;
}

/** The row, locked for the rest of the transaction on PostgreSQL (check-then-update). */
export async function lockDocumentRow(uow: UnitOfWork, id: string): Promise<DocumentRow> {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('billing_documents').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('billing document', id);
  return row;
}

export async function insertLines(uow: UnitOfWork, documentId: string, lines: NewLineRow[]): Promise<void> {
  // Chunked so a long document stays under SQLite's bound-parameter limit.
  for (let i = 0; i < lines.length; i += 100) {
    const chunk = lines.slice(i, i + 100).map((line) => ({ ...line, id: newId(), document_id: documentId }));
    await uow.tx.insertInto('billing_lines').values(chunk).execute();
  }
}

export async function deleteLines(uow: UnitOfWork, documentId: string): Promise<void> {
  await uow.tx.deleteFrom('billing_lines').where('document_id', '=', documentId).execute();
}

export async function listDocumentRows(
  db: Kysely<Database>,
  filter: DocumentListFilter,
  page: { limit: number; afterId?: string },
): Promise<DocumentRow[]> {
  let query = db.selectFrom('billing_documents').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.contractId) query = query.where('contract_id', '=', filter.contractId);
  if (filter.workOrderId) query = query.where('work_order_id', '=', filter.workOrderId);
  if (filter.from) query = query.where('document_date', '>=', filter.from);
  if (filter.to) query = query.where('document_date', '<=', filter.to);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  return query
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
}

import type { Kysely } from 'kysely';
import { getWorkOrder, listWorkOrders } from '../work-orders/index.js';
import type { Database } from '../../platform/db/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors, isAppError } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import type { BillingOptions } from './billing-policy.js';
import { resolvePolicy } from './billing-policy.js';
import { bookCapUsage } from './cap-ledger.js';
import { announce, BillingEvents } from './events.js';
import { nextDocumentNumber } from './numbering.js';
import { deleteLines, insertLines, loadDocument, lockDocumentRow } from './repository.js';
import type { BillingDocument, DocumentKind, DocumentStatus } from './schemas.js';
import { assertDraft } from './status.js';
import type { FactsCache } from './work-order-facts.js';
import { newFactsCache } from './work-order-facts.js';
import { assertBillable, priceForDocument } from './work-order-pricing.js';

export interface BillWorkOrderResult {
  document: BillingDocument;
  /** False when the work order already had an active document, which is returned unchanged. */
  created: boolean;
}

const isUnitOfWork = (executor: Executor) => 'emit' in executor;

async function activeDocumentId(db: Kysely<Database>, workOrderId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('billing_documents')
    .select('id')
    .where('active_work_order_id', '=', workOrderId)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Creates the draft billing document of a completed work order, priced against the contract version in
 * force on its completion day, the customer's price lists, its assets' warranties and the contract's cap
 * usage so far (which it then books). Idempotent: a work order has at most one active document (any
 * status but credited), and a second call returns it unchanged. After a credit, calling again bills the
 * work order anew.
 */
export async function billWorkOrder(
  executor: Executor,
  workOrderId: string,
  options: BillingOptions & { cache?: FactsCache } = {},
): Promise<BillWorkOrderResult> {
  const policy = resolvePolicy(options);
  try {
    return await inTransaction(executor, async (uow) => {
      const existing = await activeDocumentId(uow.tx, workOrderId);
      if (existing) return { document: await loadDocument(uow.tx, existing), created: false };
      const wo = await getWorkOrder(uow, workOrderId);
      assertBillable(wo);
      const result = await priceForDocument(uow, wo, policy, { cache: options.cache });
      const id = newId();
      const now = nowIso();
      const kind: DocumentKind = 'work_order';
      await uow.tx
        .insertInto('billing_documents')
        .values({
          id,
          number: await nextDocumentNumber(uow, kind),
          kind,
          status: 'draft' satisfies DocumentStatus,
          ...result.columns,
          work_order_id: wo.id,
          work_order_number: wo.number,
          work_order_type: wo.type,
          active_work_order_id: wo.id,
          contract_id: wo.contractId,
          contract_number: result.facts.contract?.number ?? null,
          fee_key: null,
          period_key: null,
          period_start: null,
          period_end: null,
          credits_document_id: null,
          credited_by_document_id: null,
          credit_reason: null,
          external_ref: null,
          erp_number: null,
          approved_at: null,
          sent_at: null,
          invoiced_at: null,
          credited_at: null,
          revision: 0,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await insertLines(uow, id, result.lines);
      if (result.facts.version) {
        await bookCapUsage(uow, id, result.facts.version.contractId, result.priced.capConsumption, {
          replace: false,
        });
      }
      return { document: await announce(uow, id, BillingEvents.created, []), created: true };
    });
  } catch (error) {
    // Two callers raced past the existence check; the loser returns the winner's document.
    if (isUniqueViolation(error) && !isUnitOfWork(executor)) {
      const existing = await activeDocumentId(queryable(executor), workOrderId);
      if (existing) return { document: await loadDocument(queryable(executor), existing), created: false };
    }
    throw error;
  }
}

/**
 * Re-prices a draft after its work order was corrected (`work_order.corrected`): the work order, contract,
 * price lists, warranties and cap usage are read again, the new lines replace the old ones and the
 * draft's cap consumption is replaced by the new one. 409 unless the document is a work-order draft.
 */
export async function repriceDocument(
  executor: Executor,
  id: string,
  options: BillingOptions & { expectedVersion?: number } = {},
): Promise<BillingDocument> {
  const policy = resolvePolicy(options);
  return inTransaction(executor, async (uow) => {
    const row = await lockDocumentRow(uow, id);
    assertVersion('billing document', id, Number(row.version), options.expectedVersion);
    const doc = {
      id,
      number: row.number,
      kind: row.kind as DocumentKind,
      status: row.status as DocumentStatus,
    };
    if (doc.kind !== 'work_order' || !row.work_order_id) {
      throw errors.conflict(
        `billing document ${row.number} is a ${row.kind} document; only work-order documents are re-priced`,
        {
          documentId: id,
          kind: row.kind,
        },
      );
    }
    assertDraft(doc, 're-priced');
    const before = await loadDocument(uow.tx, id);
    const wo = await getWorkOrder(uow, row.work_order_id);
    assertBillable(wo);
    const result = await priceForDocument(uow, wo, policy, { excludeDocumentId: id });
    await uow.tx
      .updateTable('billing_documents')
      .set((eb) => ({
        ...result.columns,
        contract_number: result.facts.contract?.number ?? row.contract_number,
        revision: eb('revision', '+', 1),
        version: eb('version', '+', 1),
        updated_at: nowIso(),
      }))
      .where('id', '=', id)
      .execute();
    await deleteLines(uow, id);
    await insertLines(uow, id, result.lines);
    await bookCapUsage(
      uow,
      id,
      result.facts.version?.contractId ?? row.contract_id ?? '',
      result.priced.capConsumption,
      {
        replace: true,
      },
    );
    const after = await loadDocument(uow.tx, id);
    return announce(uow, id, BillingEvents.repriced, changedFields(before, after), {
      previousTotals: before.totals,
      workOrderRevision: wo.revision,
    });
  });
}

function changedFields(before: BillingDocument, after: BillingDocument): string[] {
  const fields = [
    'documentDate',
    'lines',
    'totals',
    'contract',
    'capConsumption',
    'workOrder',
    'customer',
    'billingAddress',
  ] as const;
  return fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

export interface BillCompletedResult {
  created: BillingDocument[];
  /** Work orders that already had a document (active or credited): re-billing after a credit is explicit. */
  skipped: { workOrderId: string; documentId: string }[];
  failed: {
    workOrderId: string;
    workOrderNumber: string;
    code: string;
    message: string;
    details: Record<string, unknown>;
  }[];
}

/** Work order id → one of its work-order documents (any status), for the work orders given. */
async function documentsOf(db: Kysely<Database>, workOrderIds: string[]): Promise<Map<string, string>> {
  if (workOrderIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('billing_documents')
    .select(['work_order_id', 'id'])
    .where('work_order_id', 'in', workOrderIds)
    .where('kind', '=', 'work_order')
    .execute();
  return new Map(rows.map((r) => [r.work_order_id ?? '', r.id]));
}

/**
 * Bills every completed or closed work order changed since `since` that has never had a document. One
 * transaction per work order, so a work order that cannot be priced (a missing price) is reported in
 * `failed` and the others are billed; running it again bills nothing twice. For CLIs and schedulers.
 */
export async function billCompletedWorkOrders(
  executor: Executor,
  query: { since: string; limit?: number },
  options: BillingOptions = {},
): Promise<BillCompletedResult> {
  if (Number.isNaN(Date.parse(query.since))) {
    throw errors.validation('since must be an ISO 8601 date-time', [
      { path: ['since'], message: 'expected an ISO date-time' },
    ]);
  }
  const since = new Date(query.since).toISOString();
  const result: BillCompletedResult = { created: [], skipped: [], failed: [] };
  const cache = newFactsCache();
  const max = query.limit ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  for (const status of ['completed', 'closed'] as const) {
    let afterId: string | undefined;
    do {
      const page = await listWorkOrders(executor, { status, updatedSince: since }, { limit: 200, afterId });
      const billed = await documentsOf(
        queryable(executor),
        page.data.map((wo) => wo.id),
      );
      for (const wo of page.data) {
        if (seen >= max) return result;
        seen += 1;
        const documentId = billed.get(wo.id);
        if (documentId) {
          result.skipped.push({ workOrderId: wo.id, documentId });
          continue;
        }
        try {
          const billed = await billWorkOrder(executor, wo.id, { ...options, cache });
          if (billed.created) result.created.push(billed.document);
          else result.skipped.push({ workOrderId: wo.id, documentId: billed.document.id });
        } catch (error) {
          if (!isAppError(error)) throw error;
          result.failed.push({
            workOrderId: wo.id,
            workOrderNumber: wo.number,
            code: error.code,
            message: error.message,
            details: error.details,
          });
        }
      }
      afterId = page.nextAfterId ?? undefined;
    } while (afterId);
  }
  return result;
}

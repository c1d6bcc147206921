import type { Updateable } from 'kysely';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import { releaseCapUsage } from './cap-ledger.js';
import { announce, BillingEvents } from './events.js';
import { nextDocumentNumber } from './numbering.js';
import { parseInput } from '../../shared/parse-input.js';
import type { DocumentRow } from './repository.js';
import { insertLines, loadDocument, lockDocumentRow } from './repository.js';
import type {
  BillingDocument,
  CreditInput,
  DocumentKind,
  DocumentStatus,
  InvoiceInput,
  SendInput,
} from './schemas.js';
import { creditInputSchema, invoiceInputSchema, sendInputSchema } from './schemas.js';
import { assertTransition } from './status.js';
import type { BillingDocumentsTable } from './tables.js';
import { creditLineRows } from './credit-note.js';

const view = (row: DocumentRow) => ({
  id: row.id,
  number: row.number,
  kind: row.kind as DocumentKind,
  status: row.status as DocumentStatus,
});

async function move(
  uow: UnitOfWork,
  row: DocumentRow,
  columns: Updateable<BillingDocumentsTable>,
): Promise<void> {
  await uow.tx
    .updateTable('billing_documents')
    .set((eb) => ({ ...columns, version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', row.id)
    .execute();
}

/** draft → approved. The approved event is what ERP flows turn into an invoice. */
export async function approveDocument(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<BillingDocument> {
  return inTransaction(executor, async (uow) => {
    const row = await lockDocumentRow(uow, id);
    assertVersion('billing document', id, Number(row.version), expectedVersion);
    assertTransition(view(row), 'approved');
    await move(uow, row, { status: 'approved', approved_at: nowIso() });
    return announce(uow, id, BillingEvents.approved, ['status', 'approvedAt']);
  });
}

/**
 * approved → sent_to_erp, recording the connector's reference. Connectors deliver at least once, so the
 * same call repeated with the same reference returns the document unchanged; another reference is a 409.
 */
export async function markDocumentSent(
  executor: Executor,
  id: string,
  raw: SendInput,
  expectedVersion?: number,
): Promise<BillingDocument> {
  const input = parseInput(sendInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockDocumentRow(uow, id);
    if (row.status === 'sent_to_erp' && row.external_ref === input.externalRef) return loadUnchanged(uow, id);
    assertVersion('billing document', id, Number(row.version), expectedVersion);
    assertTransition(view(row), 'sent_to_erp');
    await move(uow, row, { status: 'sent_to_erp', sent_at: nowIso(), external_ref: input.externalRef });
    return announce(uow, id, BillingEvents.sent, ['status', 'sentAt', 'externalRef']);
  });
}

/** sent_to_erp → invoiced with the ERP's invoice number; repeating it with the same number is a no-op. */
export async function markDocumentInvoiced(
  executor: Executor,
  id: string,
  raw: InvoiceInput,
  expectedVersion?: number,
): Promise<BillingDocument> {
  const input = parseInput(invoiceInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockDocumentRow(uow, id);
    if (row.status === 'invoiced' && row.erp_number === input.erpNumber) return loadUnchanged(uow, id);
    assertVersion('billing document', id, Number(row.version), expectedVersion);
    assertTransition(view(row), 'invoiced');
    await move(uow, row, { status: 'invoiced', invoiced_at: nowIso(), erp_number: input.erpNumber });
    return announce(uow, id, BillingEvents.invoiced, ['status', 'invoicedAt', 'erpNumber']);
  });
}

function loadUnchanged(uow: UnitOfWork, id: string): Promise<BillingDocument> {
  return loadDocument(uow.tx, id);
}

export interface CreditResult {
  credited: BillingDocument;
  creditNote: BillingDocument;
}

/**
 * approved | sent_to_erp | invoiced → credited. Creates a credit note (its own CN- number, status approved
 * so the ERP flows pick it up) that references the original and negates each of its lines, and releases
 * the original's cap consumption. The work order may then be billed again.
 */
export async function creditDocument(
  executor: Executor,
  id: string,
  raw: CreditInput,
  expectedVersion?: number,
): Promise<CreditResult> {
  const input = parseInput(creditInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockDocumentRow(uow, id);
    assertVersion('billing document', id, Number(row.version), expectedVersion);
    assertTransition(view(row), 'credited');
    const now = nowIso();
    const creditId = newId();
    const neg = (v: number | string) => -Number(v);
    await uow.tx
      .insertInto('billing_documents')
      .values({
        ...row,
        id: creditId,
        number: await nextDocumentNumber(uow, 'credit_note'),
        kind: 'credit_note',
        status: 'approved',
        document_date: now.slice(0, 10),
        active_work_order_id: null,
        fee_key: null,
        credits_document_id: row.id,
        credited_by_document_id: null,
        credit_reason: input.reason,
        gross_minor: neg(row.gross_minor),
        discount_minor: neg(row.discount_minor),
        covered_minor: neg(row.covered_minor),
        covered_by_contract_minor: neg(row.covered_by_contract_minor),
        covered_by_warranty_minor: neg(row.covered_by_warranty_minor),
        net_minor: neg(row.net_minor),
        explanation: JSON.stringify([`Credit note for ${row.number}: ${input.reason}`]),
        cap_consumption: '[]',
        external_ref: null,
        erp_number: null,
        approved_at: now,
        sent_at: null,
        invoiced_at: null,
        credited_at: null,
        revision: 0,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const originalLines = await uow.tx
      .selectFrom('billing_lines')
      .selectAll()
      .where('document_id', '=', row.id)
      .orderBy('line_no')
      .execute();
    await insertLines(uow, creditId, creditLineRows(originalLines, row.number));
    const released = await releaseCapUsage(uow, row.id, creditId);
    await move(uow, row, {
      status: 'credited',
      credited_at: now,
      credited_by_document_id: creditId,
      credit_reason: input.reason,
      active_work_order_id: null,
    });
    const creditNote = await announce(uow, creditId, BillingEvents.created, [], { credits: row.id });
    const approvedNote = await announce(uow, creditId, BillingEvents.approved, ['status', 'approvedAt']);
    const credited = await announce(
      uow,
      row.id,
      BillingEvents.credited,
      ['status', 'creditedAt', 'creditedBy'],
      {
        creditNote: { id: creditNote.id, number: creditNote.number },
        releasedCapUsage: released,
      },
    );
    return { credited, creditNote: approvedNote };
  });
}

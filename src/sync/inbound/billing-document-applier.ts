import type { BillingDocument } from '../../modules/billing/index.js';
import {
  findBillingDocumentByNumber,
  getBillingDocument,
  markDocumentInvoiced,
  markDocumentSent,
} from '../../modules/billing/index.js';
import { errors } from '../../shared/errors/index.js';
import { assertVersion } from '../../shared/versioning.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { readLocal } from './applier.js';

const toLocal = (d: BillingDocument): LocalRecord => ({
  id: d.id,
  version: d.version,
  updatedAt: d.updatedAt,
  data: d,
});

const read = readLocal(getBillingDocument, toLocal);

const text = (value: unknown): string | undefined =>
  typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : undefined;

/**
 * What the ERP did with the invoices Fieldsync sent (update only: documents are made by billing, never
 * pulled). The pulled `status` is the document status the ERP's state means: `sent_to_erp` once the ERP
 * holds the invoice (`externalRef`, its id there), `invoiced` once it numbered it (`erpNumber`). The module's
 * own transitions do the work, so each is announced and a repeat is a no-op. A credited document keeps its
 * status (its credit note is a document of its own); an invoice the ERP cancelled is a pull error, because
 * Fieldsync undoes an invoice only by crediting it, which is a person's decision.
 */
/** The document already records another ERP id or number than the ERP now shows: a person decides which. */
function mismatch(doc: BillingDocument, field: 'externalRef' | 'erpNumber', ours: string, theirs: string) {
  return errors.conflict(
    `billing document ${doc.number} records ${field} ${ours}, the ERP's invoice for it has ${theirs}`,
    { number: doc.number, field, fieldsync: ours, erp: theirs },
  );
}

export const billingDocumentApplier: InboundApplier = {
  entity: 'billing_document',
  eventKey: 'document',
  fields: ['number', 'externalRef', 'erpNumber', 'status'],
  read,
  async findMatch(executor, values) {
    const number = text(values.number);
    if (number === undefined) return undefined;
    const doc = await findBillingDocumentByNumber(executor, number);
    return doc ? toLocal(doc) : undefined;
  },
  create() {
    return Promise.reject(
      errors.validation('billing documents are not created from the ERP: use operation "update"', [
        { path: [], message: 'the billing document applier only updates documents billing made' },
      ]),
    );
  },
  async update(uow, id, patch, expectedVersion) {
    let doc = await getBillingDocument(uow, id);
    assertVersion('billing document', id, doc.version, expectedVersion);
    if (doc.status === 'credited') return toLocal(doc);
    const status = 'status' in patch ? patch.status : undefined;
    if (status !== undefined && status !== 'sent_to_erp' && status !== 'invoiced') {
      throw errors.conflict(
        `the ERP's invoice for ${doc.number} is ${String(status)}: Fieldsync undoes an invoice only by crediting it (POST /v1/billing/documents/${id}/credit)`,
        { number: doc.number, erpStatus: status },
      );
    }
    if (doc.status === 'approved' && status !== undefined) {
      const sentAs = text(patch.externalRef);
      if (sentAs === undefined)
        throw errors.validation(`the ERP's invoice for ${doc.number} has no id to record`, [
          { path: ['externalRef'], message: 'required to mark the document sent' },
        ]);
      // The transitions lock the row and check the version again: a billing change since the read wins.
      doc = await markDocumentSent(uow, id, { externalRef: sentAs }, doc.version);
    }
    const externalRef = text(patch.externalRef);
    if (externalRef !== undefined && doc.externalRef !== null && doc.externalRef !== externalRef)
      throw mismatch(doc, 'externalRef', doc.externalRef, externalRef);
    const erpNumber = text(patch.erpNumber);
    if (erpNumber !== undefined && doc.erpNumber !== null && doc.erpNumber !== erpNumber)
      throw mismatch(doc, 'erpNumber', doc.erpNumber, erpNumber);
    if (status === 'invoiced' && erpNumber !== undefined && doc.status === 'sent_to_erp')
      doc = await markDocumentInvoiced(uow, id, { erpNumber }, doc.version);
    return toLocal(doc);
  },
};

import { getPath } from '../../mapping/index.js';
import { FieldOwner } from '../../mapping/index.js';
import { reconField } from '../field-compare.js';
import { remoteKeysWithNatural } from '../key-strategy.js';
import type { Reconciler } from '../recon-types.js';

/** ERP states of documents that are no longer open; they are outside the compared population. */
const closedStates = new Set(['paid', 'cancelled', 'canceled', 'void']);

/**
 * Open billing documents (invoices and credit notes not yet paid or cancelled), by crosswalk id, then
 * document number. The billing module is still being written: once its index exports a reader of open
 * documents, add `loadLocal` here (page it, look up the crosswalk per page with `lookupExternalIds`, and
 * yield `{ key: localKey(...), localId, externalId, fields: document }` as `customer.ts` does). Until
 * then a run for this entity fails with a `validation` error and writes nothing.
 */
export const billingDocumentReconciler: Reconciler = {
  entity: 'billing_document',
  description: 'Open billing documents by crosswalk id, then document number',
  remoteEntity: 'invoice',
  defaultFields: [
    reconField('number', { owner: FieldOwner.fieldsync }),
    reconField('customerId', { remote: 'party', owner: FieldOwner.fieldsync }),
    reconField('total.amount', { remote: 'total_amount', decimal: true, owner: FieldOwner.fieldsync }),
    reconField('total.currency', { remote: 'currency', ignoreCase: true, owner: FieldOwner.fieldsync }),
    reconField('dueDate', { remote: 'due_date', owner: FieldOwner.fieldsync }),
  ],
  remoteKeys: (record, fields) =>
    remoteKeysWithNatural(record, fields, { prefix: 'number', field: 'number' }),
  remoteFilter: (record) => {
    const state = getPath(record.data, 'state');
    return !(typeof state === 'string' && closedStates.has(state.toLowerCase()));
  },
  kpi: { name: 'recon_accuracy', scope: (connector) => `connector:${connector}/billing_document` },
};

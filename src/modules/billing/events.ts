import type { UnitOfWork } from '../../platform/outbox/index.js';
import { loadDocument } from './repository.js';
import type { BillingDocument } from './schemas.js';

export const BillingEvents = {
  created: 'billing.document.created',
  repriced: 'billing.document.repriced',
  approved: 'billing.document.approved',
  sent: 'billing.document.sent',
  invoiced: 'billing.document.invoiced',
  credited: 'billing.document.credited',
} as const;
export type BillingEventType = (typeof BillingEvents)[keyof typeof BillingEvents];

export const billingDocumentSubject = (id: string) => `billing_document/${id}`;

/**
 * Every document write ends here: re-read the whole document (lines included) and announce it. ERP flows
 * consume `billing.document.approved`, so the data carries everything an invoice needs.
 */
export async function announce(
  uow: UnitOfWork,
  id: string,
  type: BillingEventType,
  changedFields: string[],
  extra: Record<string, unknown> = {},
): Promise<BillingDocument> {
  const document = await loadDocument(uow.tx, id);
  await uow.emit({ type, subject: billingDocumentSubject(id), data: { document, changedFields, ...extra } });
  return document;
}

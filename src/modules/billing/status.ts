import { errors } from '../../shared/errors/index.js';
import type { DocumentKind, DocumentStatus } from './schemas.js';

/**
 * The document lifecycle as data. A draft is the only state whose lines may change (re-pricing); from
 * approval on, a document changes only by crediting it, which creates a credit note. Credit notes start
 * approved (they exist to be sent) and cannot themselves be credited.
 */
export const allowedTransitions: Readonly<Record<DocumentStatus, readonly DocumentStatus[]>> = {
  draft: ['approved'],
  approved: ['sent_to_erp', 'credited'],
  sent_to_erp: ['invoiced', 'credited'],
  invoiced: ['credited'],
  credited: [],
};

export function allowedFrom(kind: DocumentKind, status: DocumentStatus): DocumentStatus[] {
  const next = allowedTransitions[status];
  return kind === 'credit_note' ? next.filter((s) => s !== 'credited') : [...next];
}

/** 409 naming where the document may go from here, so a client can offer only those actions. */
export function assertTransition(
  doc: { id: string; number: string; kind: DocumentKind; status: DocumentStatus },
  to: DocumentStatus,
): void {
  const allowed = allowedFrom(doc.kind, doc.status);
  if (allowed.includes(to)) return;
  const hint = doc.kind === 'credit_note' && to === 'credited' ? ' (a credit note cannot be credited)' : '';
  throw errors.conflict(
    `billing document ${doc.number} cannot go from ${doc.status} to ${to}${hint}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
    { documentId: doc.id, documentStatus: doc.status, requestedStatus: to, allowedTransitions: allowed },
  );
}

/** Only drafts are re-priced: an approved document is what the customer will be (or was) charged. */
export function assertDraft(
  doc: { id: string; number: string; kind: DocumentKind; status: DocumentStatus },
  action: string,
): void {
  if (doc.status === 'draft') return;
  throw errors.conflict(
    `billing document ${doc.number} is ${doc.status}; only drafts can be ${action} (credit it and bill again instead)`,
    {
      documentId: doc.id,
      documentStatus: doc.status,
      allowedTransitions: allowedFrom(doc.kind, doc.status),
    },
  );
}

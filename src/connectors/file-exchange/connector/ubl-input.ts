import { isAppError } from '../../../shared/errors/index.js';
import type { UblInvoiceInput } from '../ubl/index.js';
import { buildUblInvoice } from '../ubl/index.js';
import { billingDocumentShape, billingDocumentToUbl } from './billing-to-ubl.js';
import type { FileExchangeConfig } from './config.js';

export type InvoiceCheck = { ok: true; input: UblInvoiceInput; id: string } | { ok: false; message: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Payload fields that feed the UBL invoice and never become columns. */
export const UBL_SOURCE_FIELDS = ['invoice', 'document'] as const;

function sourceOf(payload: Record<string, unknown>): Record<string, unknown> | string {
  if (isObject(payload.invoice)) return payload.invoice;
  if (isObject(payload.document)) {
    const parsed = billingDocumentShape.safeParse(payload.document);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `document.${i.path.join('.')}: ${i.message}`);
      return `the payload's \`document\` is not a billing document: ${issues.join('; ')}`;
    }
    return billingDocumentToUbl(parsed.data);
  }
  return 'a billing document for UBL needs `document` (the billing document) or `invoice` (UBL input) in the mapped payload';
}

/**
 * The UBL input of one billing document: the payload's `invoice` (UBL input as is) or `document` (a
 * Fieldsync billing document, converted), with the configured company as supplier when none is named.
 * Built here once so a document that cannot become a valid invoice fails alone, before anything is written.
 */
export function invoiceOf(payload: Record<string, unknown>, config: FileExchangeConfig): InvoiceCheck {
  const source = sourceOf(payload);
  if (typeof source === 'string') return { ok: false, message: source };
  const withSupplier = {
    ...(config.ubl.supplier !== undefined && { supplier: config.ubl.supplier }),
    ...source,
  } as UblInvoiceInput;
  try {
    const { document } = buildUblInvoice(withSupplier);
    return { ok: true, input: withSupplier, id: document.id };
  } catch (error) {
    if (isAppError(error)) {
      const issues = error.issues.map((i) => `${i.path.join('.') || 'invoice'}: ${i.message}`).slice(0, 5);
      return { ok: false, message: `UBL invoice refused: ${[error.message, ...issues].join('; ')}` };
    }
    return {
      ok: false,
      message: `UBL invoice refused: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

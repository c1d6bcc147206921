import { isAppError } from '../../../shared/errors/index.js';
import type { UblInvoiceInput } from '../ubl/index.js';
import { buildUblInvoice } from '../ubl/index.js';
import type { FileExchangeConfig } from './config.js';

export type InvoiceCheck = { ok: true; input: UblInvoiceInput; id: string } | { ok: false; message: string };

/**
 * The UBL input of one billing document: the payload's `invoice` object (mapped by the flow from the
 * billing document event), with the configured company as supplier when the invoice names none. Built
 * once here so a document that cannot become a valid invoice fails alone, before anything is written.
 */
export function invoiceOf(payload: Record<string, unknown>, config: FileExchangeConfig): InvoiceCheck {
  const invoice = payload.invoice;
  if (typeof invoice !== 'object' || invoice === null || Array.isArray(invoice)) {
    return {
      ok: false,
      message: 'a billing document for UBL needs an `invoice` object in the mapped payload (map it from the event)',
    };
  }
  const withSupplier = {
    ...(config.ubl.supplier !== undefined && { supplier: config.ubl.supplier }),
    ...(invoice as Record<string, unknown>),
  } as UblInvoiceInput;
  try {
    const { document } = buildUblInvoice(withSupplier);
    return { ok: true, input: withSupplier, id: document.id };
  } catch (error) {
    if (isAppError(error)) {
      const issues = error.issues.map((i) => `${i.path.join('.') || 'invoice'}: ${i.message}`).slice(0, 5);
      return { ok: false, message: `UBL invoice refused: ${[error.message, ...issues].join('; ')}` };
    }
    return { ok: false, message: `UBL invoice refused: ${error instanceof Error ? error.message : String(error)}` };
  }
}

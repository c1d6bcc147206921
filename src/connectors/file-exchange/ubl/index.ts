export { ublInvoiceInputSchema, ublTaxCategoryIds } from './ubl-document.js';
export type { UblInvoice, UblInvoiceInput, UblLine, UblParty } from './ubl-document.js';
export { buildUblInvoice, parseUblInvoiceInput, ublInvoiceTree, UBL_NAMESPACES } from './ubl-invoice.js';
export { computeUblTotals } from './ubl-totals.js';
export type { UblTaxSubtotal, UblTotals } from './ubl-totals.js';
export { writeUblInvoiceFile } from './write-ubl-invoice.js';
export type { WriteUblInvoiceOptions } from './write-ubl-invoice.js';

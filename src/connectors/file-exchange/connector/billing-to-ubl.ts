import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { UblInvoiceInput } from '../ubl/index.js';

/**
 * A Fieldsync billing document (the `document` of a `billing.document.approved` event) as a UBL 2.1
 * invoice. Read structurally, so the connector depends on the event's shape, not on the billing module.
 *
 * Each line goes out at its gross value (quantity × unit price); its discount and the share a contract or
 * warranty pays follow as their own negative lines, so the invoice total is the document's net total and a
 * reader sees where every amount came from. Amounts exclude tax: the document carries a tax category hint
 * that the ERP turns into its own tax rule, so the invoice claims no tax (TaxInclusive = TaxExclusive).
 */
const money = z.object({ amount: z.string(), currency: z.string() });

export const billingDocumentShape = z.object({
  number: z.string().min(1),
  kind: z.string().optional(),
  documentDate: z.string(),
  currency: z.string(),
  customer: z.object({
    code: z.string().nullable().optional(),
    name: z.string(),
    legalName: z.string().nullable().optional(),
    taxId: z.string().nullable().optional(),
  }),
  billingAddress: z
    .object({
      line1: z.string(),
      line2: z.string().nullable().optional(),
      city: z.string(),
      postalCode: z.string().nullable().optional(),
      country: z.string(),
    })
    .nullable()
    .optional(),
  workOrder: z.object({ number: z.string() }).nullable().optional(),
  contract: z.object({ number: z.string() }).nullable().optional(),
  explanation: z.array(z.string()).optional(),
  lines: z.array(
    z.object({
      lineNo: z.number(),
      code: z.string(),
      description: z.string(),
      quantity: z.string(),
      unit: z.string(),
      unitPrice: money,
      sku: z.string().nullable().optional(),
      discountAmount: money.optional(),
      coveredAmount: money.optional(),
      coverage: z.array(z.object({ source: z.string(), reference: z.string() })).optional(),
    }),
  ),
});
export type BillingDocumentShape = z.infer<typeof billingDocumentShape>;

/** UN/ECE Recommendation 20 codes for the units Fieldsync uses; anything else counts pieces (C62). */
const unitCodes: Readonly<Record<string, string>> = {
  h: 'HUR',
  hour: 'HUR',
  hours: 'HUR',
  min: 'MIN',
  l: 'LTR',
  litre: 'LTR',
  liter: 'LTR',
  ml: 'MLT',
  kg: 'KGM',
  g: 'GRM',
  m: 'MTR',
  km: 'KMT',
  m2: 'MTK',
  m3: 'MTQ',
  day: 'DAY',
  month: 'MON',
  year: 'ANN',
};
export const unitCodeOf = (unit: string): string => unitCodes[unit.trim().toLowerCase()] ?? 'C62';

const abs = (amount: string) => new Decimal(amount).abs().toFixed();

export function billingDocumentToUbl(doc: BillingDocumentShape): Omit<UblInvoiceInput, 'supplier'> {
  const lines: UblInvoiceInput['lines'] = [];
  for (const line of doc.lines) {
    const id = String(line.lineNo);
    const quantity = new Decimal(line.quantity);
    lines.push({
      id,
      itemName: line.description.trim() === '' ? line.code : line.description.slice(0, 200),
      sellersItemId: (line.sku ?? line.code).slice(0, 64),
      quantity: line.quantity,
      unitCode: unitCodeOf(line.unit),
      unitPrice: abs(line.unitPrice.amount),
    });
    // A deduction reduces the line's sign: -1 × amount on an invoice line, +1 on a credit note line.
    const deduction = (suffix: string, name: string, amount: string | undefined) => {
      if (amount === undefined || new Decimal(amount).isZero()) return;
      const negative = quantity.isNegative() || new Decimal(amount).isNegative();
      lines.push({
        id: `${id}-${suffix}`,
        itemName: name.slice(0, 200),
        quantity: negative ? '1' : '-1',
        unitCode: 'C62',
        unitPrice: abs(amount),
      });
    };
    deduction('D', `Discount on line ${id}`, line.discountAmount?.amount);
    const payer = line.coverage?.map((c) => `${c.source} ${c.reference}`).join(', ');
    deduction('C', `Covered${payer ? ` by ${payer}` : ''} (line ${id})`, line.coveredAmount?.amount);
  }
  const customer = doc.customer;
  const address = doc.billingAddress;
  return {
    id: doc.number,
    issueDate: doc.documentDate.slice(0, 10),
    invoiceTypeCode: doc.kind === 'credit_note' ? '381' : '380',
    currency: doc.currency,
    ...(doc.explanation?.[0] !== undefined && { note: doc.explanation.join(' ').slice(0, 1000) }),
    ...(doc.workOrder?.number !== undefined && { orderReference: doc.workOrder.number }),
    ...(doc.contract?.number !== undefined && { buyerReference: doc.contract.number }),
    customer: {
      name: customer.name,
      ...(customer.code && { id: customer.code }),
      ...(customer.taxId && { taxId: customer.taxId }),
      ...(customer.legalName && { registrationName: customer.legalName }),
      // The UBL party needs a country; a customer without a billing address is refused with that reason.
      address: address
        ? {
            street: address.line1,
            ...(address.line2 && { additionalStreet: address.line2 }),
            city: address.city,
            ...(address.postalCode && { postalZone: address.postalCode }),
            country: address.country,
          }
        : { country: '' },
    },
    lines,
  };
}

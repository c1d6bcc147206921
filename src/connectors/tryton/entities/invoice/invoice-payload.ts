import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { amountOf, dateSchema, moneySchema, quantitySchema, refSchema } from '../../runtime/payload.js';

/**
 * One invoice line per billing line. Billing lines fit as they are (`description`, `quantity`, `unitPrice`,
 * `netAmount` as Money, `costCenter`; other keys are ignored).
 */
export const invoiceLineSchema = z
  .object({
    description: z.string().trim().min(1).max(2000),
    quantity: quantitySchema,
    unitPrice: moneySchema,
    /** What the customer pays for the line (after discount and coverage); default quantity × unitPrice. */
    netAmount: moneySchema.optional(),
    product: refSchema.optional(),
    sku: z.string().trim().min(1).nullable().optional(),
    costCenter: refSchema.nullable().optional(),
  })
  .loose();

export const invoicePayloadSchema = z
  .object({
    /** Stored in the invoice's `reference` and searched before create (default: the idempotency key). */
    reference: z.string().trim().min(1).max(500).optional(),
    description: z.string().trim().min(1).max(500).optional(),
    /** The Tryton party id, or the Fieldsync customer id the party was created with. */
    party: refSchema,
    /** The party's code, tried when `party` finds nothing (customers that came from Tryton). */
    partyCode: z.string().trim().min(1).nullable().optional(),
    date: dateSchema.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    /** Cost center (analytic account code or id) of lines that name none. */
    costCenter: refSchema.nullable().optional(),
    /** Overrides the connector's invoiceState for this invoice. */
    state: z.enum(['draft', 'posted']).optional(),
    lines: z.array(invoiceLineSchema).min(1).max(500),
  })
  .strict();
export type InvoicePayload = z.output<typeof invoicePayloadSchema>;
export type InvoiceLinePayload = z.output<typeof invoiceLineSchema>;

/**
 * Tryton computes a line as quantity × unit_price (4 price decimals). When the billing line's net is not
 * that product (a discount or a covered share), the unit price becomes net ÷ quantity if that is exact,
 * else the line is invoiced as quantity 1 at the net amount with the original quantity in the text, so
 * the invoice total always equals the billing document's net exactly.
 */
export function linePricing(line: InvoiceLinePayload): {
  quantity: string;
  unitPrice: string;
  description: string;
} {
  const quantity = new Decimal(line.quantity);
  const unitPrice = new Decimal(amountOf(line.unitPrice));
  if (line.netAmount === undefined) {
    return { quantity: line.quantity, unitPrice: unitPrice.toFixed(), description: line.description };
  }
  const net = new Decimal(amountOf(line.netAmount));
  if (quantity.mul(unitPrice).eq(net)) {
    return { quantity: line.quantity, unitPrice: unitPrice.toFixed(), description: line.description };
  }
  if (!quantity.isZero()) {
    const per = net.div(quantity);
    if (per.decimalPlaces() <= 4)
      return { quantity: line.quantity, unitPrice: per.toFixed(), description: line.description };
  }
  return {
    quantity: '1',
    unitPrice: net.toFixed(),
    description: `${line.description} (${quantity.toFixed()} × ${unitPrice.toFixed()})`,
  };
}

import { z } from '@hono/zod-openapi';

export const documentKinds = ['work_order', 'recurring_fee', 'credit_note'] as const;
export type DocumentKind = (typeof documentKinds)[number];
export const documentStatuses = ['draft', 'approved', 'sent_to_erp', 'invoiced', 'credited'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
export const billingLineKinds = ['labor', 'part', 'fee', 'recurring_fee'] as const;
export type BillingLineKind = (typeof billingLineKinds)[number];

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);
const date = z.iso.date().openapi({ example: '2026-03-01' });

const money = z.object({ amount: z.string(), currency: z.string() }).openapi('BillingMoney', {
  description: 'Decimal string amount (negative on credit notes) and ISO 4217 currency',
});

const reason = z.object({ code: z.string(), text: z.string() }).openapi('BillingReason');

export const billingLineSchema = z
  .object({
    lineNo: z.number().int(),
    kind: z.enum(billingLineKinds),
    code: z
      .string()
      .openapi({ description: 'Labor type, item id, call_out/travel_distance, or recurring_fee' }),
    description: z.string(),
    quantity: z.string().openapi({ description: 'Decimal string; negative on credit notes' }),
    unit: z.string(),
    unitPrice: money,
    priceListId: z.string().nullable(),
    priceBasis: z.enum(['item', 'category']).nullable(),
    grossAmount: money,
    discountPct: z.string(),
    discountAmount: money,
    coveredPct: z.string(),
    coveredAmount: money,
    coverage: z.array(
      z.object({ source: z.enum(['warranty', 'contract']), reference: z.string(), amount: money }),
    ),
    netAmount: money,
    taxCategory: z.string().openapi({ description: 'A hint the ERP mapping turns into its tax rule' }),
    itemId: z.string().nullable(),
    sku: z.string().nullable(),
    assetId: z.string().nullable(),
    costCenter: z.string().nullable(),
    reasons: z.array(reason),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('BillingLine');
export type BillingLine = z.infer<typeof billingLineSchema>;

const totalsSchema = z
  .object({
    gross: money,
    discount: money,
    covered: money,
    coveredByContract: money,
    coveredByWarranty: money,
    net: money,
  })
  .openapi('BillingTotals');
export type BillingTotals = z.infer<typeof totalsSchema>;

export const billingAddressSchema = z
  .object({
    siteId: z.string(),
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    postalCode: z.string().nullable(),
    country: z.string(),
    region: z.string().nullable(),
  })
  .openapi('BillingAddress');
export type BillingAddress = z.infer<typeof billingAddressSchema>;

export const billingDocumentSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    kind: z.enum(documentKinds),
    status: z.enum(documentStatuses),
    documentDate: z.string(),
    currency: z.string(),
    customer: z.object({
      id: z.string(),
      code: z.string().nullable(),
      name: z.string(),
      legalName: z.string().nullable(),
      taxId: z.string().nullable(),
    }),
    billingAddress: billingAddressSchema.nullable(),
    region: z.string().nullable(),
    costCenter: z.string().nullable(),
    workOrder: z
      .object({
        id: z.string(),
        number: z.string(),
        type: z.string(),
        completedAt: z.string().nullable(),
        revision: z.number().int(),
      })
      .nullable(),
    contract: z
      .object({
        id: z.string(),
        number: z.string(),
        versionId: z.string().nullable(),
        versionNo: z.number().int().nullable(),
      })
      .nullable(),
    period: z.object({ key: z.string(), start: z.string(), end: z.string() }).nullable(),
    creditsDocument: z
      .object({ id: z.string(), number: z.string(), erpNumber: z.string().nullable() })
      .nullable(),
    creditedBy: z.object({ id: z.string(), number: z.string() }).nullable(),
    creditReason: z.string().nullable(),
    lines: z.array(billingLineSchema),
    totals: totalsSchema,
    zeroAmount: z.boolean(),
    explanation: z.array(z.string()),
    capConsumption: z.array(z.record(z.string(), z.unknown())),
    pricing: z
      .object({
        engine: z.string(),
        priceLists: z.object({ customer: z.string().nullable(), default: z.string() }),
        warrantyPrecedence: z.string(),
      })
      .nullable(),
    externalRef: z.string().nullable(),
    erpNumber: z.string().nullable(),
    approvedAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    invoicedAt: z.string().nullable(),
    creditedAt: z.string().nullable(),
    revision: z.number().int().openapi({ description: '0 when created, +1 per re-pricing' }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('BillingDocument');
export type BillingDocument = z.infer<typeof billingDocumentSchema>;

export const documentListQuerySchema = z.object({
  status: z.enum(documentStatuses).optional(),
  kind: z.enum(documentKinds).optional(),
  customerId: id.optional(),
  contractId: id.optional(),
  workOrderId: id.optional(),
  from: date.optional().openapi({ description: 'documentDate on or after' }),
  to: date.optional().openapi({ description: 'documentDate on or before' }),
});
export type DocumentListFilter = z.infer<typeof documentListQuerySchema>;

export const sendInputSchema = z
  .strictObject({
    externalRef: text(200).openapi({ description: "The ERP connector's reference for the delivery" }),
  })
  .openapi('BillingSend');
export const invoiceInputSchema = z
  .strictObject({ erpNumber: text(100).openapi({ description: "The ERP's invoice number" }) })
  .openapi('BillingInvoice');
export const creditInputSchema = z.strictObject({ reason: text(1000) }).openapi('BillingCredit');
export type SendInput = z.infer<typeof sendInputSchema>;
export type InvoiceInput = z.infer<typeof invoiceInputSchema>;
export type CreditInput = z.infer<typeof creditInputSchema>;

export const recurringFeeRunSchema = z
  .strictObject({
    asOf: date
      .optional()
      .openapi({ description: 'Bill the fee period (of each contract) containing this day' }),
    periodStart: date.optional(),
    periodEnd: date.optional(),
  })
  .superRefine((v, ctx) => {
    const range = v.periodStart !== undefined || v.periodEnd !== undefined;
    if (v.asOf !== undefined && range) {
      ctx.addIssue({
        code: 'custom',
        path: ['asOf'],
        message: 'give asOf, or periodStart and periodEnd, not both',
      });
      return;
    }
    if (v.asOf === undefined && !range) {
      ctx.addIssue({ code: 'custom', path: ['asOf'], message: 'give asOf, or periodStart and periodEnd' });
      return;
    }
    if (!range) return;
    if (v.periodStart === undefined)
      ctx.addIssue({ code: 'custom', path: ['periodStart'], message: 'required with periodEnd' });
    if (v.periodEnd === undefined)
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'required with periodStart' });
    if (v.periodStart === undefined || v.periodEnd === undefined) return;
    if (v.periodEnd < v.periodStart) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodEnd'],
        message: `must not be before periodStart ${v.periodStart}`,
      });
    } else if (daysBetween(v.periodStart, v.periodEnd) > 366 * 5) {
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'a run spans at most 5 years' });
    }
  })
  .openapi('RecurringFeeRun', {
    description:
      'asOf: the fee period containing the day; or every fee period overlapping periodStart..periodEnd',
  });
export type RecurringFeeRun = z.infer<typeof recurringFeeRunSchema>;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

import { z } from 'zod';
import { capPeriodSchema, lineKindSchema, workOrderTypeSchema, warrantyPrecedences } from './input-schema.js';
import { reasonCodes } from './reason-codes.js';
import type { ReasonCode } from './reason-codes.js';

/** The priced document as zod schemas: the API layer can publish it in OpenAPI; tests check outputs against it. */

const money = z.object({
  amount: z.string().regex(/^\d{1,15}(\.\d{1,6})?$/),
  currency: z.string().length(3),
});
const decimal = z.string().regex(/^\d+(\.\d+)?$/);

export const reasonSchema = z.object({
  code: z.enum(reasonCodes as [ReasonCode, ...ReasonCode[]]),
  text: z.string().min(1),
});
export type Reason = z.infer<typeof reasonSchema>;

export const coverageSources = ['warranty', 'contract'] as const;
export const coverageShareSchema = z.object({
  source: z.enum(coverageSources),
  /** Contract number, or the asset id whose warranty pays. */
  reference: z.string(),
  amount: money,
});
export type CoverageShare = z.infer<typeof coverageShareSchema>;

export const lineDetailSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('labor'),
    laborType: z.string(),
    assetId: z.string().nullable(),
    technicianIds: z.array(z.string()),
    billable: z.boolean(),
    minutesWorked: z.number().int(),
    minutesBilled: z.number().int(),
  }),
  z.object({
    kind: z.literal('part'),
    itemId: z.string(),
    sku: z.string(),
    category: z.string(),
    assetId: z.string().nullable(),
    /** Index of the part in the work order's parts array. */
    partIndex: z.number().int(),
  }),
  z.object({ kind: z.literal('fee'), feeType: z.enum(['call_out', 'travel_distance']) }),
]);
export type LineDetail = z.infer<typeof lineDetailSchema>;

export const pricedLineSchema = z.object({
  lineNo: z.number().int().min(1),
  kind: lineKindSchema,
  /** Labor type, item id or fee type: what the ERP maps to a product. */
  code: z.string(),
  description: z.string(),
  quantity: decimal,
  unit: z.string(),
  unitPrice: money,
  /** The list the unit price came from; null when nothing is billed (non-billable labor). */
  priceListId: z.string().nullable(),
  grossAmount: money,
  discountPct: decimal,
  discountAmount: money,
  /** Effective covered share of (gross − discount), truncated to 2 decimals: 100 only when fully covered. */
  coveredPct: decimal,
  coveredAmount: money,
  coverage: z.array(coverageShareSchema),
  netAmount: money,
  taxCategory: z.string(),
  detail: lineDetailSchema,
  reasons: z.array(reasonSchema).min(1),
});
export type PricedLine = z.infer<typeof pricedLineSchema>;

export const capConsumptionSchema = z.object({
  capId: z.string(),
  description: z.string().nullable(),
  period: capPeriodSchema,
  periodKey: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  limit: money,
  consumedBefore: money,
  consumedByDocument: money,
  consumedAfter: money,
  remaining: money,
  exhausted: z.boolean(),
});
export type CapConsumption = z.infer<typeof capConsumptionSchema>;

export const documentTotalsSchema = z.object({
  gross: money,
  discount: money,
  covered: money,
  coveredByContract: money,
  coveredByWarranty: money,
  net: money,
});
export type DocumentTotals = z.infer<typeof documentTotalsSchema>;

export const pricedDocumentSchema = z.object({
  engine: z.string(),
  workOrderId: z.string(),
  workOrderNumber: z.string(),
  workOrderType: workOrderTypeSchema,
  customerId: z.string(),
  /** Calendar date of completedAt: decides warranty, contract validity and cap periods. */
  documentDate: z.iso.date(),
  currency: z.string().length(3),
  priceLists: z.object({ customer: z.string().nullable(), default: z.string() }),
  contract: z.object({ id: z.string(), number: z.string(), version: z.number().int() }).nullable(),
  warrantyPrecedence: z.enum(warrantyPrecedences),
  lines: z.array(pricedLineSchema),
  totals: documentTotalsSchema,
  capConsumption: z.array(capConsumptionSchema),
  /** True when nothing is charged; the document still proves the service was delivered. */
  zeroAmount: z.boolean(),
  explanation: z.array(z.string()),
});
export type PricedDocument = z.infer<typeof pricedDocumentSchema>;

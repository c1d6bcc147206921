import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { currencyPattern } from '../../../shared/money.js';

/**
 * The pricing input as zod schemas, so the API layer can validate requests with the same definitions the
 * engine's types come from. The engine itself re-checks every number it reads (see decimal.ts), so a
 * typed caller that skips the schema still gets precise validation errors instead of a wrong price.
 */

const id = z.string().min(1).max(200);
const amount = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'expected a non-negative decimal string');
const pct = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,4})?$/, 'expected a percentage as a decimal string')
  .refine((v) => new Decimal(v).lte(100), 'a percentage cannot exceed 100');
const quantity = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, 'expected a decimal string with at most 3 decimals')
  .refine((v) => !new Decimal(v).isZero(), 'must be greater than zero');
const distance = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, 'expected a decimal string with at most 3 decimals');
const isoDate = z.iso.date();
const currency = z.string().regex(currencyPattern, 'expected an ISO 4217 code');
const money = z.object({ amount, currency });
const minutes = z.number().int().min(0).max(100_000);

export const workOrderTypes = ['preventive', 'corrective', 'installation', 'inspection'] as const;
export const workOrderTypeSchema = z.enum(workOrderTypes);
export type WorkOrderType = z.infer<typeof workOrderTypeSchema>;

export const lineKinds = ['labor', 'part', 'fee'] as const;
export const lineKindSchema = z.enum(lineKinds);
export type LineKind = z.infer<typeof lineKindSchema>;

export const laborEntrySchema = z.object({
  technicianId: id,
  laborType: id,
  minutes,
  billable: z.boolean(),
  /** Defaults to the work order's asset; decides which labor warranty applies. */
  assetId: id.optional(),
});
export type LaborEntry = z.infer<typeof laborEntrySchema>;

export const partEntrySchema = z.object({
  itemId: id,
  sku: id,
  category: id,
  quantity,
  unit: z.string().min(1).max(20).optional(),
  description: z.string().min(1).max(500).optional(),
  /** Defaults to the work order's asset; decides which parts warranty applies. */
  assetId: id.optional(),
  /** Overrides the policy's tax category hint for parts. */
  taxCategory: id.optional(),
});
export type PartEntry = z.infer<typeof partEntrySchema>;

export const travelSchema = z.object({ callOut: z.boolean(), distanceKm: distance.optional() });
export type Travel = z.infer<typeof travelSchema>;

export const workOrderSchema = z.object({
  id,
  number: id,
  type: workOrderTypeSchema,
  completedAt: z.iso.datetime({ offset: true }),
  customerId: id,
  assetId: id.optional(),
  labor: z.array(laborEntrySchema).max(10_000),
  parts: z.array(partEntrySchema).max(10_000),
  travel: travelSchema.optional(),
});
export type PricingWorkOrder = z.infer<typeof workOrderSchema>;

export const priceListSchema = z.object({
  id,
  name: z.string().max(200).optional(),
  currency,
  /** Set on customer-specific lists; must match the work order's customer. */
  customerId: id.nullable().optional(),
  /** Hourly rate per labor type. */
  laborRates: z.record(z.string(), amount),
  /** Unit price per item id. */
  items: z.record(z.string(), amount),
  callOutFee: amount.optional(),
  perKmRate: amount.optional(),
});
export type PriceList = z.infer<typeof priceListSchema>;

export const coverageTermsSchema = z.object({
  laborCoveredPct: pct,
  partsCoveredPct: pct,
  travelCovered: z.boolean(),
  /** When present, only parts in these categories are covered. */
  includedCategories: z.array(id).optional(),
  /** Parts in these categories are never covered (checked before includedCategories). */
  excludedCategories: z.array(id).optional(),
});
export type CoverageTerms = z.infer<typeof coverageTermsSchema>;

/** `contract`: one period for the whole life of the contract (from its startDate, key `contract`). */
export const capPeriods = ['month', 'quarter', 'year', 'contract_year', 'contract'] as const;
export const capPeriodSchema = z.enum(capPeriods);
export type CapPeriod = z.infer<typeof capPeriodSchema>;

export const capSchema = z.object({
  id,
  description: z.string().max(200).optional(),
  period: capPeriodSchema,
  limit: money,
  appliesTo: z.array(lineKindSchema).min(1),
});
export type ContractCap = z.infer<typeof capSchema>;

export const contractVersionSchema = z.object({
  id,
  contractId: id,
  number: id,
  version: z.number().int().min(1),
  customerId: id,
  /** Start of the contract (not of this version): contract years count from here. */
  startDate: isoDate,
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  coverage: z.object({
    preventive: coverageTermsSchema.optional(),
    corrective: coverageTermsSchema.optional(),
    installation: coverageTermsSchema.optional(),
    inspection: coverageTermsSchema.optional(),
  }),
  discounts: z.object({ laborPct: pct.optional(), partsPct: pct.optional(), travelPct: pct.optional() }),
  caps: z.array(capSchema),
});
export type ContractVersion = z.infer<typeof contractVersionSchema>;

/** How much of a cap was consumed in one period before this document (a ledger the caller keeps). */
export const capUsageSchema = z.object({ capId: id, periodKey: z.string().min(1), consumed: money });
export type CapUsage = z.infer<typeof capUsageSchema>;

/** Last covered day (inclusive) per warranty; null means no such warranty. */
export const assetWarrantySchema = z.object({
  partsUntil: isoDate.nullable(),
  laborUntil: isoDate.nullable(),
});
export type AssetWarranty = z.infer<typeof assetWarrantySchema>;

export const warrantyPrecedences = ['warranty_first', 'contract_first'] as const;
export type WarrantyPrecedence = (typeof warrantyPrecedences)[number];

export const pricingPolicySchema = z.object({
  /** Labor is billed per started increment; 0 or 1 means per minute. */
  laborRoundingMinutes: z.number().int().min(0).max(1440),
  /** A billable labor line is billed at least this long. */
  laborMinimumMinutes: z.number().int().min(0).max(1440),
  warrantyPrecedence: z.enum(warrantyPrecedences),
  taxCategories: z.object({ labor: id, part: id, fee: id }),
});
export type PricingPolicy = z.infer<typeof pricingPolicySchema>;

export const pricingInputSchema = z.object({
  workOrder: workOrderSchema,
  priceLists: z.object({ default: priceListSchema, customer: priceListSchema.nullable().optional() }),
  contract: contractVersionSchema.nullable(),
  capUsage: z.array(capUsageSchema).optional(),
  warranties: z.record(z.string(), assetWarrantySchema).optional(),
  policy: pricingPolicySchema,
});
export type PricingInput = z.infer<typeof pricingInputSchema>;

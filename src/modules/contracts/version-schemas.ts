import { z } from '@hono/zod-openapi';
import { Decimal } from 'decimal.js';

export const workOrderTypes = ['preventive', 'corrective', 'installation', 'inspection'] as const;
export type WorkOrderType = (typeof workOrderTypes)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const capKinds = ['parts', 'labor', 'total'] as const;
export const capPeriods = ['month', 'quarter', 'year', 'contract'] as const;
export const billingPeriods = ['monthly', 'quarterly', 'yearly'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const ref = z.string().min(1).max(64);
const date = z.iso.date().openapi({ example: '2025-01-01' });

/** Percentages are decimal strings 0..100 with up to 4 decimals, normalised ("10.50" → "10.5"). */
const pctPattern = /^\d{1,3}(\.\d{1,4})?$/;
export const pctSchema = z
  .string()
  .regex(pctPattern, 'a percentage as a decimal string, e.g. "80" or "12.5"')
  // zod runs this check even when the pattern failed, so it must not parse a non-number.
  .refine((v) => !pctPattern.test(v) || new Decimal(v).lte(100), 'a percentage cannot exceed 100')
  .transform((v) => new Decimal(v).toFixed())
  .openapi({ example: '80' });

export const amountSchema = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,6})?$/, 'a non-negative decimal amount such as "250.00"')
  .openapi({ example: '250.00' });

const hours = z.number().int().min(1).max(8760);
const slaTermsSchema = z
  .strictObject({ responseHours: hours, resolutionHours: hours })
  .refine((v) => v.resolutionHours >= v.responseHours, {
    message: 'resolutionHours must not be shorter than responseHours',
    path: ['resolutionHours'],
  });

export const coverageTermsInputSchema = z
  .strictObject({
    laborCoveredPct: pctSchema,
    partsCoveredPct: pctSchema,
    includedCategories: z.array(text(120)).min(1).max(500).optional().openapi({
      description: 'Only parts of these categories are covered; omit to cover every category not excluded',
    }),
    excludedCategories: z.array(text(120)).max(500).default([]),
    travelCovered: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const both = (v.includedCategories ?? []).filter((c) => v.excludedCategories.includes(c));
    if (both.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['excludedCategories'],
        message: `both included and excluded: ${both.join(', ')}`,
      });
    }
  })
  .openapi('CoverageTermsInput');

const capInputSchema = z.strictObject({
  kind: z.enum(capKinds),
  amount: amountSchema,
  period: z.enum(capPeriods).openapi({ description: '"contract" caps the whole life of the contract' }),
});

export const contractVersionInputSchema = z
  .strictObject({
    validFrom: date,
    validTo: date
      .nullable()
      .optional()
      .openapi({ description: 'Inclusive last day; omit or null for open-ended' }),
    coveredAssetIds: z.array(ref).max(5000).default([]),
    coveredSiteIds: z.array(ref).max(500).default([]),
    coverage: z
      .strictObject({
        preventive: coverageTermsInputSchema.optional(),
        corrective: coverageTermsInputSchema.optional(),
        installation: coverageTermsInputSchema.optional(),
        inspection: coverageTermsInputSchema.optional(),
      })
      .default({})
      .openapi({ description: 'Terms by work-order type; a type left out is not covered' }),
    caps: z.array(capInputSchema).max(12).default([]),
    priceListId: ref.optional(),
    discounts: z
      .strictObject({ partsPct: pctSchema.default('0'), laborPct: pctSchema.default('0') })
      .default({
        partsPct: '0',
        laborPct: '0',
      }),
    sla: z
      .strictObject({
        responseHours: hours,
        resolutionHours: hours,
        byPriority: z
          .strictObject({
            low: slaTermsSchema.optional(),
            normal: slaTermsSchema.optional(),
            high: slaTermsSchema.optional(),
            urgent: slaTermsSchema.optional(),
          })
          .default({}),
      })
      .refine((v) => v.resolutionHours >= v.responseHours, {
        message: 'resolutionHours must not be shorter than responseHours',
        path: ['resolutionHours'],
      })
      .optional(),
    recurringFee: z.strictObject({ amount: amountSchema, period: z.enum(billingPeriods) }).optional(),
    notes: text(2000).optional(),
    closeOpenVersion: z.boolean().default(false).openapi({
      description: 'End the open-ended version in force before validFrom on the day before, instead of a 409',
    }),
  })
  .superRefine((v, ctx) => {
    if (v.validTo && v.validTo < v.validFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `must not be before validFrom ${v.validFrom}`,
      });
    }
    const seen = new Set<string>();
    v.caps.forEach((cap, index) => {
      const key = `${cap.kind}-${cap.period}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['caps', index],
          message: `a ${cap.kind} cap per ${cap.period} is given twice`,
        });
      seen.add(key);
    });
    for (const field of ['coveredAssetIds', 'coveredSiteIds'] as const) {
      if (new Set(v[field]).size !== v[field].length)
        ctx.addIssue({ code: 'custom', path: [field], message: 'ids must be unique' });
    }
  })
  .openapi('ContractVersionInput');

export const coverageTermsSchema = z
  .object({
    laborCoveredPct: z.string(),
    partsCoveredPct: z.string(),
    includedCategories: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'null: every category not excluded' }),
    excludedCategories: z.array(z.string()),
    travelCovered: z.boolean(),
  })
  .openapi('CoverageTerms');

export const contractCapSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: '"<kind>-<period>", stable across versions so usage ledgers carry over' }),
    kind: z.enum(capKinds),
    amount: z.string(),
    currency: z.string(),
    period: z.enum(capPeriods),
  })
  .openapi('ContractCap');

const slaHoursSchema = z.object({ responseHours: z.number().int(), resolutionHours: z.number().int() });

export const contractVersionSchema = z
  .object({
    id: z.string(),
    contractId: z.string(),
    contractNumber: z.string(),
    customerId: z.string(),
    currency: z.string(),
    versionNo: z.number().int(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    coveredAssetIds: z.array(z.string()),
    coveredSiteIds: z.array(z.string()),
    coverage: z.object({
      preventive: coverageTermsSchema.optional(),
      corrective: coverageTermsSchema.optional(),
      installation: coverageTermsSchema.optional(),
      inspection: coverageTermsSchema.optional(),
    }),
    caps: z.array(contractCapSchema),
    priceListId: z.string().nullable(),
    discounts: z.object({ partsPct: z.string(), laborPct: z.string() }),
    sla: slaHoursSchema
      .extend({
        byPriority: z.object({
          low: slaHoursSchema.optional(),
          normal: slaHoursSchema.optional(),
          high: slaHoursSchema.optional(),
          urgent: slaHoursSchema.optional(),
        }),
      })
      .nullable(),
    recurringFee: z
      .object({ amount: z.string(), currency: z.string(), period: z.enum(billingPeriods) })
      .nullable(),
    notes: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ContractVersion');

export type ContractVersionInput = z.input<typeof contractVersionInputSchema>;
export type ContractVersion = z.infer<typeof contractVersionSchema>;
export type CoverageTerms = z.infer<typeof coverageTermsSchema>;
export type ContractCap = z.infer<typeof contractCapSchema>;
export type ContractSla = NonNullable<ContractVersion['sla']>;
export type SlaHours = z.infer<typeof slaHoursSchema>;

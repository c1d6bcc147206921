import { z } from '@hono/zod-openapi';
import { amountSchema } from './version-schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const ref = z.string().min(1).max(64);
const date = z.iso.date();
const externalRefs = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/), z.string().min(1).max(200));
const priceMap = (key: string) =>
  z
    .record(text(120), amountSchema)
    .refine((m) => Object.keys(m).length <= 20_000, 'at most 20000 lines')
    .openapi({
      description: `Unit price by ${key}`,
    });
const pricePatchMap = (key: string) =>
  z
    .record(text(120), amountSchema.nullable())
    .openapi({ description: `Unit price by ${key}; null removes the line` });

function validityOrder(
  v: { validFrom?: string | null; validTo?: string | null },
  ctx: z.RefinementCtx,
): void {
  if (v.validFrom && v.validTo && v.validTo < v.validFrom) {
    ctx.addIssue({
      code: 'custom',
      path: ['validTo'],
      message: `must not be before validFrom ${v.validFrom}`,
    });
  }
}

export const priceListCreateSchema = z
  .strictObject({
    code: text(60).optional(),
    name: text(200),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. "EUR"'),
    customerId: ref
      .optional()
      .openapi({ description: "Makes this the customer's own list (overrides the default list)" }),
    isDefault: z
      .boolean()
      .default(false)
      .openapi({ description: 'The fallback list for every customer in this currency' }),
    validFrom: date.optional(),
    validTo: date.optional(),
    items: priceMap('item id').default({}),
    categories: priceMap('item category (fallback for items without their own line)').default({}),
    laborRates: priceMap('labor type (hourly rate)').default({}),
    callOutFee: amountSchema.optional(),
    perKmRate: amountSchema.optional(),
    externalRefs: externalRefs.optional(),
  })
  .superRefine((v, ctx) => {
    validityOrder(v, ctx);
    if (v.isDefault && v.customerId) {
      ctx.addIssue({
        code: 'custom',
        path: ['isDefault'],
        message: 'a customer-specific list cannot be the default list',
      });
    }
  })
  .openapi('PriceListCreate');

export const priceListPatchSchema = z
  .strictObject({
    code: text(60).nullable().optional(),
    name: text(200).optional(),
    validFrom: date.nullable().optional(),
    validTo: date.nullable().optional(),
    status: z.enum(['active', 'archived']).optional(),
    items: pricePatchMap('item id').optional(),
    categories: pricePatchMap('item category').optional(),
    laborRates: pricePatchMap('labor type').optional(),
    callOutFee: amountSchema.nullable().optional(),
    perKmRate: amountSchema.nullable().optional(),
    externalRefs: externalRefs.optional(),
  })
  .superRefine(validityOrder)
  .openapi('PriceListPatch');

export const priceListSchema = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    name: z.string(),
    currency: z.string(),
    customerId: z.string().nullable(),
    isDefault: z.boolean(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    status: z.enum(['active', 'archived']),
    items: z.record(z.string(), z.string()),
    categories: z.record(z.string(), z.string()),
    laborRates: z.record(z.string(), z.string()),
    callOutFee: z.string().nullable(),
    perKmRate: z.string().nullable(),
    externalRefs: z.record(z.string(), z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('PriceList');

export const priceListQuerySchema = z.object({
  customerId: ref.optional(),
  isDefault: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  status: z.enum(['active', 'archived']).optional(),
  code: z.string().max(60).optional(),
});

export const resolvedPriceListsSchema = z
  .object({ customerList: priceListSchema.nullable(), defaultList: priceListSchema })
  .openapi('ResolvedPriceLists');

export type PriceListCreate = z.input<typeof priceListCreateSchema>;
export type PriceListPatch = z.input<typeof priceListPatchSchema>;
export type PriceList = z.infer<typeof priceListSchema>;
export type PriceListFilter = z.infer<typeof priceListQuerySchema>;
export type ResolvedPriceLists = z.infer<typeof resolvedPriceListsSchema>;

import { z } from '@hono/zod-openapi';
import { amountPattern } from '../../shared/money.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const amount = z
  .string()
  .regex(amountPattern, 'a decimal amount such as "49.90"')
  .refine((v) => !v.startsWith('-'), 'must not be negative')
  .openapi({ example: '49.90' });
const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. "EUR"');
const externalRefs = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/), z.string().min(1).max(200));

export const itemKinds = ['stocked', 'service'] as const;

export const itemCreateSchema = z
  .strictObject({
    sku: text(60).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only'),
    barcode: text(64).optional(),
    name: text(200),
    description: text(2000).optional(),
    category: text(120),
    unit: text(20).default('unit'),
    listPrice: amount,
    costPrice: amount.default('0'),
    currency: currency.default('EUR'),
    kind: z.enum(itemKinds).default('stocked'),
    serialTracked: z.boolean().default(false),
    taxCategory: text(40).optional(),
    externalRefs: externalRefs.optional(),
  })
  .refine((v) => !(v.kind === 'service' && v.serialTracked), {
    message: 'service items cannot be serial-tracked',
    path: ['serialTracked'],
  })
  .openapi('ItemCreate');

export const itemPatchSchema = z
  .strictObject({
    sku: text(60)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/)
      .optional(),
    barcode: text(64).nullable().optional(),
    name: text(200).optional(),
    description: text(2000).nullable().optional(),
    category: text(120).optional(),
    unit: text(20).optional(),
    listPrice: amount.optional(),
    costPrice: amount.optional(),
    currency: currency.optional(),
    kind: z.enum(itemKinds).optional(),
    serialTracked: z.boolean().optional(),
    taxCategory: text(40).nullable().optional(),
    externalRefs: externalRefs.optional(),
  })
  .openapi('ItemPatch');

export const itemSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    barcode: z.string().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    unit: z.string(),
    listPrice: z.string(),
    costPrice: z.string(),
    currency: z.string(),
    kind: z.enum(itemKinds),
    serialTracked: z.boolean(),
    taxCategory: z.string().nullable(),
    status: z.enum(['active', 'archived']),
    externalRefs: z.record(z.string(), z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Item');

export const itemListQuerySchema = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Name, SKU or barcode contains' }),
  sku: z.string().max(60).optional(),
  barcode: z.string().max(64).optional(),
  category: z.string().max(120).optional(),
  kind: z.enum(itemKinds).optional(),
  status: z.enum(['active', 'archived']).optional(),
  updatedSince: z.iso.datetime().optional(),
});

export type ItemCreate = z.input<typeof itemCreateSchema>;
export type ItemPatch = z.infer<typeof itemPatchSchema>;
export type Item = z.infer<typeof itemSchema>;
export type ItemListFilter = z.infer<typeof itemListQuerySchema>;

import { z } from '@hono/zod-openapi';

const text = (max: number) => z.string().trim().min(1).max(max);

export const warehouseKinds = ['central', 'regional', 'van'] as const;
export type WarehouseKind = (typeof warehouseKinds)[number];

const code = text(60).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only');

export const warehouseCreateSchema = z
  .strictObject({
    code,
    name: text(200),
    kind: z.enum(warehouseKinds),
    region: text(80),
    erpLocationRef: text(200).nullable().optional(),
    allowNegative: z
      .boolean()
      .default(false)
      .openapi({ description: 'Let outgoing movements take on-hand below zero' }),
  })
  .openapi('WarehouseCreate');

export const warehousePatchSchema = z
  .strictObject({
    code: code.optional(),
    name: text(200).optional(),
    kind: z.enum(warehouseKinds).optional(),
    region: text(80).optional(),
    erpLocationRef: text(200).nullable().optional(),
    allowNegative: z.boolean().optional(),
  })
  .openapi('WarehousePatch');

export const warehouseSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(warehouseKinds),
    region: z.string(),
    erpLocationRef: z.string().nullable(),
    allowNegative: z.boolean(),
    status: z.enum(['active', 'archived']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Warehouse');

export const warehouseListQuerySchema = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Name or code contains (case-insensitive)' }),
  code: z.string().max(60).optional(),
  kind: z.enum(warehouseKinds).optional(),
  region: z.string().max(80).optional(),
  status: z.enum(['active', 'archived']).optional(),
});

export type WarehouseCreate = z.input<typeof warehouseCreateSchema>;
export type WarehousePatch = z.infer<typeof warehousePatchSchema>;
export type Warehouse = z.infer<typeof warehouseSchema>;
export type WarehouseListFilter = z.infer<typeof warehouseListQuerySchema>;

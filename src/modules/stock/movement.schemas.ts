import { z } from '@hono/zod-openapi';
import { quantityPattern } from '../../shared/quantity.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(64);

/** A strictly positive decimal string with at most 3 decimals, e.g. "0.5". */
export const positiveQuantity = z
  .string()
  .regex(quantityPattern, 'a decimal quantity with at most 3 decimals, e.g. "0.5"')
  .refine((v) => !v.startsWith('-') && /[1-9]/.test(v), 'must be greater than zero')
  .openapi({ example: '2' });

/** A non-zero signed decimal string (adjustments). */
export const signedQuantity = z
  .string()
  .regex(quantityPattern, 'a decimal quantity with at most 3 decimals, e.g. "-1.5"')
  .refine((v) => /[1-9]/.test(v), 'must not be zero')
  .openapi({ example: '-1' });

export const serialsSchema = z
  .array(text(100))
  .max(1000)
  .refine((list) => new Set(list).size === list.length, 'serial numbers must be distinct')
  .openapi({ description: 'Serial numbers, one per unit; required for serial-tracked items' });

const postedAt = z.iso
  .datetime({ offset: true })
  .openapi({ description: 'When it happened (default now); may be backdated, not future-dated' });
const idempotencyKey = text(200).openapi({
  description: 'A retried post with the same key returns the original movement instead of posting again',
});

const common = {
  itemId: id,
  quantity: positiveQuantity,
  serials: serialsSchema.optional(),
  reference: text(200).optional().openapi({ description: 'e.g. a purchase receipt or delivery note number' }),
  postedAt: postedAt.optional(),
  idempotencyKey: idempotencyKey.optional(),
  createdBy: text(200).optional(),
};

export const receiptInputSchema = z.strictObject({ ...common, warehouseId: id });
export const workOrderMovementInputSchema = z.strictObject({ ...common, warehouseId: id, workOrderId: id });
export const transferInputSchema = z.strictObject({ ...common, fromWarehouseId: id, toWarehouseId: id });
export const adjustmentInputSchema = z.strictObject({
  itemId: id,
  warehouseId: id,
  quantityDelta: signedQuantity,
  reason: text(500),
  serials: common.serials,
  reference: common.reference,
  postedAt: common.postedAt,
  idempotencyKey: common.idempotencyKey,
  createdBy: common.createdBy,
});

export type ReceiptInput = z.input<typeof receiptInputSchema>;
export type WorkOrderMovementInput = z.input<typeof workOrderMovementInputSchema>;
export type TransferInput = z.input<typeof transferInputSchema>;
export type AdjustmentInput = z.input<typeof adjustmentInputSchema>;

/** The body of POST /stock/movements: issues and returns are posted by work orders, not here. */
export const movementPostSchema = z
  .discriminatedUnion('kind', [
    receiptInputSchema
      .omit({ createdBy: true })
      .extend({ kind: z.literal('receipt') })
      .openapi('ReceiptPost'),
    transferInputSchema
      .omit({ createdBy: true })
      .extend({ kind: z.literal('transfer') })
      .openapi('TransferPost'),
    adjustmentInputSchema
      .omit({ createdBy: true })
      .extend({ kind: z.literal('adjustment') })
      .openapi('AdjustmentPost'),
  ])
  .openapi('StockMovementPost');
export type MovementPost = z.infer<typeof movementPostSchema>;

export const movementKinds = [
  'receipt',
  'issue',
  'return',
  'transfer_out',
  'transfer_in',
  'adjustment',
] as const;
export type MovementKind = (typeof movementKinds)[number];

export const movementSchema = z
  .object({
    id: z.string(),
    kind: z.enum(movementKinds),
    itemId: z.string(),
    warehouseId: z.string(),
    quantity: z.string().openapi({ description: 'Signed: positive into the warehouse, negative out of it' }),
    onHandAfter: z
      .string()
      .openapi({ description: 'On-hand of this item × warehouse right after this movement' }),
    serials: z.array(z.string()),
    reference: z.string().nullable(),
    workOrderId: z.string().nullable(),
    counterpartWarehouseId: z.string().nullable(),
    reason: z.string().nullable(),
    groupId: z
      .string()
      .openapi({ description: 'Shared by movements posted together (both halves of a transfer)' }),
    cycleCountId: z.string().nullable(),
    postedAt: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    idempotencyKey: z.string().nullable(),
  })
  .openapi('StockMovement');
export type StockMovement = z.infer<typeof movementSchema>;

export const transferSchema = z
  .object({ id: z.string(), out: movementSchema, in: movementSchema })
  .openapi('StockTransfer');
export type StockTransfer = z.infer<typeof transferSchema>;

const dateOrDateTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .openapi({ description: 'A date (whole day, UTC) or a date-time' });

export const movementListQuerySchema = z.object({
  itemId: id.optional(),
  warehouseId: id.optional(),
  kind: z.enum(movementKinds).optional(),
  workOrderId: id.optional(),
  reference: z.string().max(200).optional(),
  groupId: id.optional(),
  from: dateOrDateTime.optional().openapi({ description: 'postedAt on or after' }),
  to: dateOrDateTime
    .optional()
    .openapi({ description: 'postedAt on or before (a date includes the whole day)' }),
});
export type MovementListFilter = z.infer<typeof movementListQuerySchema>;

export const onHandSchema = z
  .object({ itemId: z.string(), warehouseId: z.string(), quantity: z.string() })
  .openapi('OnHand');
export type OnHand = z.infer<typeof onHandSchema>;

export const onHandQuerySchema = z.object({
  itemId: id.optional(),
  warehouseId: id.optional(),
  region: z.string().max(80).optional().openapi({ description: 'Warehouses of this region' }),
  includeZero: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ description: 'Also list item × warehouse pairs whose on-hand is 0 (default false)' }),
});
export type OnHandFilter = { itemId?: string; warehouseId?: string; region?: string; includeZero?: boolean };

export const serialStatuses = ['in_stock', 'issued', 'written_off'] as const;
export const serialSchema = z
  .object({
    itemId: z.string(),
    serial: z.string(),
    warehouseId: z.string().nullable(),
    status: z.enum(serialStatuses),
    workOrderId: z.string().nullable(),
    lastMovementId: z.string(),
    updatedAt: z.string(),
  })
  .openapi('StockSerial');
export type StockSerial = z.infer<typeof serialSchema>;

export const serialListQuerySchema = z.object({
  itemId: id.optional(),
  warehouseId: id.optional(),
  status: z.enum(serialStatuses).optional(),
  serial: z.string().max(100).optional(),
});
export type SerialListFilter = z.infer<typeof serialListQuerySchema>;

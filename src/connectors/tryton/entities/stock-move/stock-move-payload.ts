import { z } from 'zod';
import { amountSchema, dateSchema, quantitySchema, refSchema } from '../../runtime/payload.js';

/** Which way stock goes when a line names only "its" location (a warehouse); see stock-move-create.ts. */
export const moveKinds = ['consumption', 'return', 'transfer', 'receipt', 'scrap', 'found'] as const;
export type MoveKind = (typeof moveKinds)[number];

const positive = quantitySchema.refine(
  (q) => !q.startsWith('-') && /[1-9]/.test(q),
  'must be greater than zero',
);

/**
 * One move. Fieldsync work-order part lines fit as they are (`sku`, `quantity`, `warehouseId`; other keys
 * are ignored), so a mapping can pass `workOrder.parts` straight through.
 */
export const moveLineSchema = z
  .object({
    product: refSchema.optional(),
    sku: z.string().trim().min(1).optional(),
    quantity: positive,
    /**
     * Tryton unit (id, symbol or name); default: the product's unit. Fieldsync's own `unit` text on part
     * lines is not used: quantities are in the item's unit, the product's unit when items come from Tryton.
     */
    uom: refSchema.optional(),
    /** This line's own location: a Tryton ref (id, XML id or code) ... */
    location: refSchema.nullable().optional(),
    /** ... or a Fieldsync warehouse, looked up in the config's warehouseLocations. */
    warehouseId: z.string().min(1).nullable().optional(),
    from: refSchema.optional(),
    to: refSchema.optional(),
    unitPrice: amountSchema.optional(),
  })
  .loose()
  .refine((l) => l.product !== undefined || l.sku !== undefined, 'a line needs product or sku');

/** A Fieldsync warehouse as stock and work-order events name it (extra keys are ignored). */
const warehouseRefSchema = z
  .object({
    id: z.string().min(1),
    code: z.string().min(1).nullable().optional(),
    erpLocationRef: z.string().min(1).nullable().optional(),
  })
  .loose();

export const stockMovePayloadSchema = z
  .object({
    kind: z.enum(moveKinds).default('consumption'),
    /** Searched before create (default: the op's idempotency key); must be unique per logical write. */
    reference: z.string().trim().min(1).max(500).optional(),
    /** Shown on the moves in Tryton (the attachment name), e.g. the work-order number. */
    label: z.string().trim().min(1).max(200).optional(),
    /** Effective date; default: the day the moves are done. */
    date: dateSchema.optional(),
    /** Location of lines that name none (the warehouse of a transfer's source, a count's location...). */
    location: refSchema.nullable().optional(),
    warehouseId: z.string().min(1).nullable().optional(),
    from: refSchema.optional(),
    to: refSchema.optional(),
    lines: z.array(moveLineSchema).max(500),
    /**
     * The Fieldsync warehouses the lines name by `warehouseId` (`work_order.completed` carries them): a
     * warehouse's `erpLocationRef` is its Tryton location when `warehouseLocations` has no entry for it.
     */
    warehouses: z.array(warehouseRefSchema).max(500).optional(),
  })
  .strict();
export type StockMovePayload = z.output<typeof stockMovePayloadSchema>;
export type MoveLine = z.output<typeof moveLineSchema>;

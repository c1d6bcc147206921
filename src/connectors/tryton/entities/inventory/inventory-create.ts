import { z } from 'zod';
import type { WriteOp, WriteResult } from '../../../sdk/connector.js';
import { ConnectorError } from '../../../sdk/connector-error.js';
import { dateSchema, quantitySchema, refSchema } from '../../runtime/payload.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { dateOf } from '../../runtime/stamps.js';
import { writeTagged } from '../../runtime/tagged-documents.js';
import type { TaggedDocument, TaggedOp } from '../../runtime/tagged-documents.js';

const countedSchema = quantitySchema.refine((q) => !q.startsWith('-'), 'must not be negative');

/** A cycle count: counted quantities per product at one location (Tryton books the differences). */
export const inventoryPayloadSchema = z
  .object({
    reference: z.string().trim().min(1).max(500).optional(),
    label: z.string().trim().min(1).max(200).optional(),
    date: dateSchema.optional(),
    location: refSchema.nullable().optional(),
    warehouseId: z.string().min(1).nullable().optional(),
    lines: z
      .array(
        z
          .object({
            product: refSchema.optional(),
            sku: z.string().trim().min(1).optional(),
            /** Counted quantity (Fieldsync's `countedQuantity` is accepted too). */
            quantity: countedSchema.optional(),
            countedQuantity: countedSchema.optional(),
          })
          .loose()
          .refine((l) => l.product !== undefined || l.sku !== undefined, 'a line needs product or sku')
          .refine(
            (l) => l.quantity !== undefined || l.countedQuantity !== undefined,
            'a line needs quantity',
          ),
      )
      .min(1)
      .max(1000),
  })
  .strict();
export type InventoryPayload = z.output<typeof inventoryPayloadSchema>;

async function buildInventory(
  rt: TrytonRuntime,
  p: TaggedOp<InventoryPayload>,
): Promise<Record<string, unknown>[]> {
  const { payload } = p;
  const location = payload.location
    ? await rt.resolver.location(payload.location)
    : payload.warehouseId
      ? await rt.resolver.warehouseLocation(payload.warehouseId)
      : await rt.resolver.location(rt.config.locations.storage);
  const products = await rt.resolver.products(payload.lines.map((l) => l.product ?? (l.sku as string)));
  const lines = payload.lines.map((line, i) => {
    const ref = line.product ?? (line.sku as string);
    const product = products.get(String(ref));
    if (!product) {
      throw new ConnectorError('validation', `lines[${i}]: unknown Tryton product ${JSON.stringify(ref)}`, {
        vendorDetail: { kind: 'reference', what: 'product', ref, line: i },
      });
    }
    // stock.inventory.line.quantity is a Float field; the decimal string was validated (≤ 3 decimals).
    return { product: product.id, quantity: Number(line.quantity ?? line.countedQuantity) };
  });
  return [
    {
      location,
      company: await rt.resolver.company(),
      ...(payload.date ? { date: dateOf(payload.date) } : {}),
      lines: [['create', lines]],
    },
  ];
}

const inventoryDocument: TaggedDocument<InventoryPayload> = {
  entity: 'inventory',
  model: 'stock.inventory',
  schema: inventoryPayloadSchema,
  build: buildInventory,
  label: (p) => p.payload.label ?? p.tag,
  button: 'confirm',
  doneStates: ['done'],
};

/**
 * Cycle counts as Tryton inventories: counted quantities are set, and on `confirm` Tryton moves the
 * difference from its own expected quantity to or from lost-and-found. Draft, tag, confirm (markers.ts).
 */
export function createInventories(rt: TrytonRuntime, ops: readonly WriteOp[]): Promise<WriteResult[]> {
  return writeTagged(rt, inventoryDocument, ops);
}

import { getItem, getItemBySku } from '../../modules/items/index.js';
import type { StockMovement } from '../../modules/stock/index.js';
import {
  findMovementByIdempotencyKey,
  getMovement,
  getWarehouse,
  postReceipt,
} from '../../modules/stock/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { AppError, errors, isAppError } from '../../shared/errors/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { findWarehouseByRef } from './warehouse-ref.js';

/**
 * Goods received in the ERP (e.g. Tryton's done moves out of a supplier location), booked once each as a
 * stock receipt through the stock module's `postReceipt`, so the ledger keeps it, on-hand rises and the
 * module emits `stock.movement.posted`. The record id is the receipt movement's id; its data is the
 * movement plus `sku` and `erpLocationRef`. The item is found by SKU, the warehouse by `erpLocationRef`
 * (else by its code); either one missing is an error of that record (retried on later pulls).
 *
 * A receipt is a fact, not a state: it is created and never updated. Exactly once holds twice over:
 * the crosswalk links the ERP record to its movement (a flow with operation `create` skips a linked
 * record), and `idempotencyKey` (required, e.g. `tryton:stock.move:<id>`) is the stock module's own
 * idempotency key: a posting with a used key returns the first movement and books nothing.
 */
const fields = ['sku', 'erpLocationRef', 'quantity', 'reference', 'postedAt', 'idempotencyKey'] as const;

async function toLocal(executor: Executor, movement: StockMovement): Promise<LocalRecord> {
  const item = await getItem(executor, movement.itemId);
  const warehouse = await getWarehouse(executor, movement.warehouseId);
  return {
    id: movement.id,
    version: 1,
    updatedAt: movement.createdAt,
    data: {
      ...movement,
      sku: item.sku,
      erpLocationRef: warehouse.erpLocationRef ?? warehouse.code,
    },
  };
}

function invalid(field: string, message: string): AppError {
  return errors.validation(`pulled stock receipt is invalid: ${field}: ${message}`, [
    { path: [field], message },
  ]);
}

function requiredText(values: Readonly<Record<string, unknown>>, field: string): string {
  const value = values[field];
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'required');
  return value.trim();
}

function optionalText(values: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = values[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, 'a string');
  return value.trim() === '' ? undefined : value.trim();
}

export const stockReceiptApplier: InboundApplier = {
  entity: 'stock_receipt',
  eventKey: 'movement',
  fields,
  async read(executor, id) {
    try {
      const movement = await getMovement(executor, id);
      return movement.kind === 'receipt' ? await toLocal(executor, movement) : undefined;
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return undefined;
      throw error;
    }
  },
  async findMatch(executor, values) {
    // Booked before although the crosswalk does not know it: the stock module holds the key.
    const key = values.idempotencyKey;
    if (typeof key !== 'string' || key.trim() === '') return undefined;
    const movement = await findMovementByIdempotencyKey(executor, key.trim());
    return movement ? toLocal(executor, movement) : undefined;
  },
  async create(uow, values) {
    const sku = requiredText(values, 'sku');
    const ref = requiredText(values, 'erpLocationRef');
    const idempotencyKey = requiredText(values, 'idempotencyKey');
    const raw = values.quantity;
    const quantity = typeof raw === 'number' ? String(raw) : raw;
    if (typeof quantity !== 'string' || quantity === '') throw invalid('quantity', 'required');
    const reference = optionalText(values, 'reference');
    const postedAt = optionalText(values, 'postedAt');

    const item = await getItemBySku(uow, sku);
    if (!item)
      throw new AppError('not_found', `stock receipt of SKU ${sku}: no Fieldsync item has this SKU`, {
        details: { entity: 'item', sku },
      });
    const warehouse = await findWarehouseByRef(uow, ref);
    if (!warehouse)
      throw new AppError(
        'not_found',
        `stock receipt into ERP location ${ref}: no Fieldsync warehouse has it as erpLocationRef (or code)`,
        { details: { entity: 'warehouse', erpLocationRef: ref } },
      );
    const movement = await postReceipt(uow, {
      itemId: item.id,
      warehouseId: warehouse.id,
      quantity,
      idempotencyKey,
      createdBy: 'sync',
      ...(reference !== undefined && { reference: reference.slice(0, 200) }),
      ...(postedAt !== undefined && { postedAt }),
    });
    return toLocal(uow, movement);
  },
  update(_uow, id) {
    // Never reached by a create flow (a linked receipt is skipped); an upsert flow must not re-book.
    return Promise.reject(
      errors.unprocessable(`stock receipt ${id} is already booked; receipts are not updated`, {
        movementId: id,
      }),
    );
  },
};

import { Decimal } from 'decimal.js';
import { getItem, getItemBySku } from '../../modules/items/index.js';
import type { StockMovement } from '../../modules/stock/index.js';
import {
  findMovementByIdempotencyKey,
  getMovement,
  getWarehouse,
  postAdjustment,
  postReceipt,
} from '../../modules/stock/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { AppError, errors, isAppError } from '../../shared/errors/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { isRecordedReceipt, lockPair, recordedLevel, recordReceipt } from './erp-stock-accounting.js';
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
 *
 * Next to the ERP level pull (stock-level-applier.ts) the optional `erpStamp` (the ERP's change stamp
 * of the done move, comparable as text with a level's `asOf`) keeps the receipt from being counted twice
 * (erp-stock-accounting.ts): a receipt the last applied level already contains is booked as a receipt
 * plus an equal negative adjustment that names it, so the ledger shows the receipt and on-hand stays
 * the ERP's; any other receipt is booked alone and recorded, so the level pull does not take it for a
 * local change. A receipt without `erpStamp` is booked alone and not recorded (no level pull beside it).
 */
const fields = [
  'sku',
  'erpLocationRef',
  'quantity',
  'reference',
  'postedAt',
  'idempotencyKey',
  'erpStamp',
] as const;

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

/**
 * Records the receipt against the pair's ERP level: when the last level applied was read as of this
 * receipt or later, on-hand holds it already, and an equal negative adjustment (in the same transaction
 * as the receipt, keyed after it) takes the second count out again. A receipt booked before (its key was
 * used) is recorded already and left alone.
 */
async function accountForLevel(uow: UnitOfWork, receipt: StockMovement, erpStamp: string): Promise<void> {
  if (await isRecordedReceipt(uow, receipt.id)) return;
  const pair = { itemId: receipt.itemId, warehouseId: receipt.warehouseId };
  const level = await recordedLevel(uow, pair);
  let reconciledBy: string | null = null;
  if (level?.asOf != null && erpStamp <= level.asOf) {
    const reconciling = await postAdjustment(uow, {
      ...pair,
      quantityDelta: new Decimal(receipt.quantity).negated().toFixed(),
      reason: `ERP receipt ${receipt.idempotencyKey ?? receipt.id} already counted in the ERP stock level read as of ${level.asOf}`,
      ...(receipt.reference !== null && { reference: receipt.reference }),
      ...(receipt.idempotencyKey !== null && {
        idempotencyKey: `${receipt.idempotencyKey}:counted-in-level`,
      }),
      createdBy: 'sync',
    });
    reconciledBy = reconciling.id;
  }
  await recordReceipt(uow, {
    ...pair,
    movementId: receipt.id,
    quantity: receipt.quantity,
    erpStamp,
    reconciledBy,
  });
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
    const erpStamp = optionalText(values, 'erpStamp');
    const pair = { itemId: item.id, warehouseId: warehouse.id };
    if (erpStamp !== undefined) await lockPair(uow, pair);
    const movement = await postReceipt(uow, {
      ...pair,
      quantity,
      idempotencyKey,
      createdBy: 'sync',
      ...(reference !== undefined && { reference: reference.slice(0, 200) }),
      ...(postedAt !== undefined && { postedAt }),
    });
    if (erpStamp !== undefined) await accountForLevel(uow, movement, erpStamp);
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

import { Decimal } from 'decimal.js';
import { getItem, getItemBySku } from '../../modules/items/index.js';
import type { Warehouse } from '../../modules/stock/index.js';
import { getOnHand, getWarehouse, postAdjustment } from '../../modules/stock/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { quantityPattern, quantityToMilli } from '../../shared/quantity.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { findWarehouseByRef } from './warehouse-ref.js';

/**
 * Stock levels (on-hand per item × warehouse) pulled from an ERP into the stock ledger. The record id is
 * `<itemId>@<warehouseId>`; its data is `{ sku, erpLocationRef, quantity }`. A pulled quantity is applied
 * as an adjustment of the difference, through the stock module's `postAdjustment`, so the ledger keeps
 * every change with its reason and the module emits its event. The item is found by SKU, the warehouse by
 * `erpLocationRef` (the ERP location ref, e.g. a Tryton location code), else by its code.
 *
 * The "version" of a level is its quantity in thousandths: the pull compares and updates in one
 * transaction, and an update whose expected quantity moved meanwhile is a conflict, not a blind set.
 */
const REASON = 'ERP stock level';

const canonical = (quantity: string): string => new Decimal(quantity).toFixed();

async function level(
  executor: Executor,
  itemId: string,
  warehouse: Warehouse,
  sku: string,
): Promise<LocalRecord> {
  const [pair] = await getOnHand(executor, { itemId, warehouseId: warehouse.id, includeZero: true });
  const quantity = canonical(pair?.quantity ?? '0');
  return {
    id: `${itemId}@${warehouse.id}`,
    version: quantityToMilli(quantity),
    updatedAt: nowIso(),
    data: { sku, erpLocationRef: warehouse.erpLocationRef ?? warehouse.code, quantity },
  };
}

function parseId(id: string): { itemId: string; warehouseId: string } {
  const at = id.indexOf('@');
  if (at <= 0 || at === id.length - 1) throw errors.notFound('stock_level', id);
  return { itemId: id.slice(0, at), warehouseId: id.slice(at + 1) };
}

function pulledQuantity(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !quantityPattern.test(text))
    throw errors.validation('pulled stock level is invalid: quantity: a decimal with at most 3 decimals', [
      { path: ['quantity'], message: 'a decimal with at most 3 decimals' },
    ]);
  return canonical(text);
}

async function resolve(
  executor: Executor,
  values: Readonly<Record<string, unknown>>,
): Promise<{ itemId: string; warehouse: Warehouse; sku: string }> {
  const { sku, erpLocationRef } = values;
  if (typeof sku !== 'string' || sku === '')
    throw errors.validation('pulled stock level is invalid: sku: required', [
      { path: ['sku'], message: 'required' },
    ]);
  if (typeof erpLocationRef !== 'string' || erpLocationRef === '')
    throw errors.validation('pulled stock level is invalid: erpLocationRef: required', [
      { path: ['erpLocationRef'], message: 'required' },
    ]);
  const item = await getItemBySku(executor, sku);
  // Pulled before its item, or a location no warehouse maps: a pull error of this record, retried later.
  if (!item) throw errors.notFound('item', sku);
  const warehouse = await findWarehouseByRef(executor, erpLocationRef);
  if (!warehouse) throw errors.notFound('warehouse', erpLocationRef);
  return { itemId: item.id, warehouse, sku };
}

async function adjustTo(uow: UnitOfWork, current: LocalRecord, target: string, warehouseId: string) {
  const { itemId } = parseId(current.id);
  const delta = new Decimal(target).minus(current.data.quantity as string);
  if (delta.isZero()) return current;
  await postAdjustment(uow, {
    itemId,
    warehouseId,
    quantityDelta: delta.toFixed(),
    reason: `${REASON}: ${target}`,
    createdBy: 'sync',
  });
  return { ...current, version: quantityToMilli(target), data: { ...current.data, quantity: target } };
}

export const stockLevelApplier: InboundApplier = {
  entity: 'stock_level',
  eventKey: 'stock_level',
  fields: ['sku', 'erpLocationRef', 'quantity'],
  async read(executor, id) {
    const { itemId, warehouseId } = parseId(id);
    const item = await getItem(executor, itemId);
    const warehouse = await getWarehouse(executor, warehouseId);
    return level(executor, itemId, warehouse, item.sku);
  },
  async findMatch(executor, values) {
    // A pair is matched only once the ledger has it; else it is created (the first pull posts its level).
    const { itemId, warehouse, sku } = await resolve(executor, values);
    const [pair] = await getOnHand(executor, { itemId, warehouseId: warehouse.id, includeZero: true });
    return pair ? level(executor, itemId, warehouse, sku) : undefined;
  },
  async create(uow, values) {
    const { itemId, warehouse, sku } = await resolve(uow, values);
    const current = await level(uow, itemId, warehouse, sku);
    return adjustTo(uow, current, pulledQuantity(values.quantity), warehouse.id);
  },
  async update(uow, id, patch, expectedVersion) {
    const { itemId, warehouseId } = parseId(id);
    const current = await this.read(uow, id);
    if (!current) throw errors.notFound('stock_level', id);
    if (current.version !== expectedVersion)
      throw errors.conflict(`stock level ${id} changed while the pull applied it`, {
        itemId,
        warehouseId,
      });
    if (patch.quantity === undefined) return current;
    return adjustTo(uow, current, pulledQuantity(patch.quantity), warehouseId);
  },
};

import { Decimal } from 'decimal.js';
import { getItem, getItemBySku } from '../../modules/items/index.js';
import type { Warehouse } from '../../modules/stock/index.js';
import { getOnHand, getWarehouse, postAdjustment } from '../../modules/stock/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { quantityPattern, quantityToMilli } from '../../shared/quantity.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import type { ErpLevel, StockPair } from './erp-stock-accounting.js';
import { lockPair, receiptsAfter, recordedLevel, recordLevel } from './erp-stock-accounting.js';
import { findWarehouseByRef } from './warehouse-ref.js';

/**
 * Stock levels (on-hand per item × warehouse) pulled from an ERP into the stock ledger. The record id is
 * `<itemId>@<warehouseId>`; its data is `{ sku, erpLocationRef, quantity }`. A pulled quantity is applied
 * as an adjustment of the difference, through the stock module's `postAdjustment`, so the ledger keeps
 * every change with its reason and the module emits its event. The item is found by SKU, the warehouse by
 * `erpLocationRef` (the ERP location ref, e.g. a Tryton location code), else by its code.
 *
 * Next to the ERP receipt pull (stock-receipt-applier.ts) the optional `erpLevel` field
 * (`{ quantity, asOf }`: the level and the ERP receipt stamp it was read as of) keeps a receipt from
 * being counted twice (erp-stock-accounting.ts): the level pull compares and sets on-hand minus the
 * receipts booked that its read does not contain yet, and records each level it applied, so the
 * receipt pull knows which receipts that level already counted. Without `erpLevel` a level is taken as
 * of the last recorded one.
 *
 * The "version" of a level is the on-hand in thousandths: the pull compares and updates in one
 * transaction, and an update whose on-hand moved meanwhile is a conflict, not a blind set.
 */
const REASON = 'ERP stock level';

const canonical = (quantity: string): string => new Decimal(quantity).toFixed();

interface PairView {
  pair: StockPair;
  warehouse: Warehouse;
  sku: string;
}

/**
 * The pair as the level pull sees it. `data.quantity` is the on-hand; `compared.quantity` leaves out the
 * receipts booked that are not in the level (they are no local change), and `compared.erpLevel` is the
 * level last recorded. Which receipts: those after the level last recorded, the one the snapshot's base
 * was taken with, so a receipt booked since is neither side's change; but when on-hand equals the
 * pulled level read as of its own stamp, both sides agree and that is what is compared (a conflict of
 * receipts booked before the level read them closes by itself).
 */
async function level(executor: Executor, view: PairView, pulled?: ErpLevel): Promise<LocalRecord> {
  const { pair, warehouse, sku } = view;
  const [onHandPair] = await getOnHand(executor, { ...pair, includeZero: true });
  const onHand = canonical(onHandPair?.quantity ?? '0');
  const recorded = await recordedLevel(executor, pair);
  const without = async (asOf: string | null) =>
    new Decimal(onHand).minus(await receiptsAfter(executor, pair, asOf)).toFixed();
  let quantity = await without(recorded?.asOf ?? null);
  if (pulled && quantity !== pulled.quantity) {
    const asPulled = await without(pulled.asOf);
    if (asPulled === pulled.quantity) quantity = asPulled;
  }
  const data = { sku, erpLocationRef: warehouse.erpLocationRef ?? warehouse.code, quantity: onHand };
  return {
    id: `${pair.itemId}@${pair.warehouseId}`,
    version: quantityToMilli(onHand),
    updatedAt: nowIso(),
    data,
    compared: {
      ...data,
      quantity,
      erpLevel: recorded ? { quantity: recorded.quantity, asOf: recorded.asOf } : null,
    },
  };
}

function parseId(id: string): StockPair {
  const at = id.indexOf('@');
  if (at <= 0 || at === id.length - 1) throw errors.notFound('stock_level', id);
  return { itemId: id.slice(0, at), warehouseId: id.slice(at + 1) };
}

function invalid(path: string, message: string) {
  return errors.validation(`pulled stock level is invalid: ${path}: ${message}`, [
    { path: path.split('.'), message },
  ]);
}

function pulledQuantity(value: unknown, path = 'quantity'): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !quantityPattern.test(text))
    throw invalid(path, 'a decimal with at most 3 decimals');
  return canonical(text);
}

/** The pulled `erpLevel`, if the flow maps one. */
function pulledLevel(value: unknown): ErpLevel | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('erpLevel', 'an object');
  const { quantity, asOf } = value as Record<string, unknown>;
  if (asOf !== null && asOf !== undefined && (typeof asOf !== 'string' || asOf === ''))
    throw invalid('erpLevel.asOf', 'an ERP stamp or null');
  return { quantity: pulledQuantity(quantity, 'erpLevel.quantity'), asOf: asOf ?? null };
}

async function resolve(executor: Executor, values: Readonly<Record<string, unknown>>): Promise<PairView> {
  const { sku, erpLocationRef } = values;
  if (typeof sku !== 'string' || sku === '') throw invalid('sku', 'required');
  if (typeof erpLocationRef !== 'string' || erpLocationRef === '')
    throw invalid('erpLocationRef', 'required');
  const item = await getItemBySku(executor, sku);
  // Pulled before its item, or a location no warehouse maps: a pull error of this record, retried later.
  if (!item) throw errors.notFound('item', sku);
  const warehouse = await findWarehouseByRef(executor, erpLocationRef);
  if (!warehouse) throw errors.notFound('warehouse', erpLocationRef);
  return { pair: { itemId: item.id, warehouseId: warehouse.id }, warehouse, sku };
}

async function viewOf(executor: Executor, id: string): Promise<PairView> {
  const pair = parseId(id);
  const item = await getItem(executor, pair.itemId);
  const warehouse = await getWarehouse(executor, pair.warehouseId);
  return { pair, warehouse, sku: item.sku };
}

/**
 * Sets on-hand to the ERP level plus the receipts booked after the read (they are on-hand, and not in
 * the level), and records the level as applied.
 */
async function applyLevel(uow: UnitOfWork, view: PairView, onHand: string, level: ErpLevel): Promise<void> {
  const outside = new Decimal(await receiptsAfter(uow, view.pair, level.asOf));
  const delta = new Decimal(level.quantity).plus(outside).minus(onHand);
  if (!delta.isZero()) {
    const after = outside.isZero() ? '' : `; ${outside.toFixed()} received since, booked as receipts`;
    await postAdjustment(uow, {
      ...view.pair,
      quantityDelta: delta.toFixed(),
      reason: `${REASON}: ${level.quantity}${after}`,
      createdBy: 'sync',
    });
  }
  await recordLevel(uow, view.pair, level);
}

export const stockLevelApplier: InboundApplier = {
  entity: 'stock_level',
  eventKey: 'stock_level',
  fields: ['sku', 'erpLocationRef', 'quantity', 'erpLevel'],
  async read(executor, id, pulled) {
    return level(executor, await viewOf(executor, id), pulledLevel(pulled?.erpLevel));
  },
  async findMatch(executor, values) {
    // A pair is matched once the ledger has it; else it is created (the first pull posts its level). A
    // pair that holds nothing but the ERP receipts booked for it is created too: nothing local to keep.
    const view = await resolve(executor, values);
    const [pair] = await getOnHand(executor, { ...view.pair, includeZero: true });
    if (!pair) return undefined;
    const onlyReceipts =
      (await recordedLevel(executor, view.pair)) === undefined &&
      new Decimal(pair.quantity).equals(await receiptsAfter(executor, view.pair, null));
    return onlyReceipts ? undefined : level(executor, view, pulledLevel(values.erpLevel));
  },
  async create(uow, values) {
    const view = await resolve(uow, values);
    await lockPair(uow, view.pair);
    const quantity = pulledQuantity(values.quantity);
    const asOf = pulledLevel(values.erpLevel)?.asOf ?? null;
    const current = await level(uow, view);
    await applyLevel(uow, view, current.data.quantity as string, { quantity, asOf });
    return level(uow, view);
  },
  async update(uow, id, patch, expectedVersion) {
    const view = await viewOf(uow, id);
    await lockPair(uow, view.pair);
    const pulled = pulledLevel(patch.erpLevel);
    const recorded = await recordedLevel(uow, view.pair);
    const asOf = pulled ? pulled.asOf : (recorded?.asOf ?? null);
    const current = await level(uow, view);
    if (current.version !== expectedVersion)
      throw errors.conflict(`stock level ${id} changed while the pull applied it`, { ...view.pair });
    const onHand = current.data.quantity as string;
    if (patch.quantity !== undefined) {
      await applyLevel(uow, view, onHand, { quantity: pulledQuantity(patch.quantity), asOf });
    } else if (pulled) {
      // The quantity was not applied: the ERP's is unchanged, or equal to ours, or held as a conflict.
      // Only in the first two is on-hand based on this read, so only then does it become the level of record.
      const seen = new Decimal(onHand).minus(await receiptsAfter(uow, view.pair, pulled.asOf)).toFixed();
      if (pulled.quantity === seen || pulled.quantity === recorded?.quantity)
        await recordLevel(uow, view.pair, pulled);
    }
    return level(uow, view);
  },
};

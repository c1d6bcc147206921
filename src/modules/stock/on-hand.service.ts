import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { serialFromRow } from './ledger.repository.js';
import { formatMilli } from './milli-format.js';
import type { OnHand, OnHandFilter, SerialListFilter, StockSerial } from './movement.schemas.js';
import type { OnHandRow } from './on-hand.repository.js';
import {
  findLevelMismatches,
  findSerialMismatches,
  listSerialRows,
  selectLevels,
  sumLedger,
} from './on-hand.repository.js';

const toOnHand = (row: OnHandRow): OnHand => ({
  itemId: row.item_id,
  warehouseId: row.warehouse_id,
  quantity: formatMilli(row.quantity_milli),
});

/**
 * Current on-hand per item × warehouse, read from the levels the ledger keeps up to date (O(1) per pair).
 * Pairs at zero are left out unless `includeZero`; ordered by item, then warehouse.
 */
export async function getOnHand(executor: Executor, filter: OnHandFilter = {}): Promise<OnHand[]> {
  return (await selectLevels(queryable(executor), filter)).map(toOnHand);
}

/** One page of on-hand for the API; the cursor is the last (item, warehouse) pair. */
export async function listOnHand(
  executor: Executor,
  filter: OnHandFilter,
  page: { limit: number; after?: { itemId: string; warehouseId: string } },
): Promise<{ data: OnHand[]; next: { itemId: string; warehouseId: string } | null }> {
  const rows = await selectLevels(queryable(executor), filter, page);
  const data = rows.slice(0, page.limit).map(toOnHand);
  const last = data[data.length - 1];
  return {
    data,
    next: rows.length > page.limit && last ? { itemId: last.itemId, warehouseId: last.warehouseId } : null,
  };
}

/** On-hand derived from the ledger alone (what the levels must equal); same shape and order as getOnHand. */
export async function recomputeOnHand(executor: Executor, filter: OnHandFilter = {}): Promise<OnHand[]> {
  return (await sumLedger(queryable(executor), filter)).map(toOnHand);
}

export interface LedgerConsistencyReport {
  consistent: boolean;
  /** Pairs where stock_levels differs from the sum of the ledger (level null: no level row). */
  levelMismatches: { itemId: string; warehouseId: string; level: string | null; ledger: string }[];
  /** Pairs where the serials in stock do not add up to on-hand. */
  serialMismatches: { itemId: string; warehouseId: string; serialsInStock: number; level: string | null }[];
}

/** Reconciliation of the store with itself: levels == SUM(ledger), serials in stock == on-hand. */
export async function verifyLedgerConsistency(executor: Executor): Promise<LedgerConsistencyReport> {
  const db = queryable(executor);
  const levelMismatches = (await findLevelMismatches(db)).map((r) => ({
    itemId: r.item_id,
    warehouseId: r.warehouse_id,
    level: r.level_milli === null ? null : formatMilli(r.level_milli),
    ledger: formatMilli(r.ledger_milli),
  }));
  const serialMismatches = (await findSerialMismatches(db)).map((r) => ({
    itemId: r.item_id,
    warehouseId: r.warehouse_id,
    serialsInStock: Number(r.in_stock),
    level: r.level_milli === null ? null : formatMilli(r.level_milli),
  }));
  return {
    consistent: levelMismatches.length === 0 && serialMismatches.length === 0,
    levelMismatches,
    serialMismatches,
  };
}

export async function listSerials(
  executor: Executor,
  filter: SerialListFilter,
  page: { limit: number; after?: { itemId: string; serial: string } },
): Promise<{ data: StockSerial[]; next: { itemId: string; serial: string } | null }> {
  const rows = await listSerialRows(queryable(executor), filter, page);
  const data = rows.slice(0, page.limit).map(serialFromRow);
  const last = data[data.length - 1];
  return {
    data,
    next: rows.length > page.limit && last ? { itemId: last.itemId, serial: last.serial } : null,
  };
}

import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';

/**
 * What the ERP level pull and the ERP receipt pull have each put into one item × warehouse (migration
 * 0026), so that both can run and a receipt is counted once, whichever lands first.
 *
 * A level is read "as of" an ERP receipt stamp: every receipt into the location stamped at or before it
 * is inside the level, every later one is not (the Tryton reader makes sure by reading the latest stamp
 * before and after the quantities). So:
 * - a receipt stamped after the last level applied is not in on-hand yet: it is booked as a receipt,
 *   and until a level includes it the level pull compares on-hand minus it (`receiptsAfter`);
 * - a receipt stamped at or before the last level applied is in on-hand already: it is booked as a
 *   receipt plus an equal negative adjustment, so the ledger shows the receipt and on-hand stays the level.
 */
export type ErpStockTables = {
  sync_erp_stock_levels: {
    item_id: string;
    warehouse_id: string;
    /** The ERP level on-hand was last set to (or found equal to), a decimal string. */
    quantity: string;
    /** The ERP receipt stamp the level was read as of; null: no receipt into the location existed then. */
    as_of: string | null;
    recorded_at: string;
  };
  sync_erp_stock_receipts: {
    movement_id: string;
    item_id: string;
    warehouse_id: string;
    quantity: string;
    erp_stamp: string;
    /** The reconciling adjustment's movement id, when a level had counted the receipt before it was booked. */
    reconciled_by: string | null;
    recorded_at: string;
  };
};

export interface StockPair {
  itemId: string;
  warehouseId: string;
}

export interface ErpLevel {
  quantity: string;
  asOf: string | null;
}

const tables = (executor: Executor): Kysely<Database & ErpStockTables> =>
  queryable(executor).withTables<ErpStockTables>();

/**
 * Serialises the two pulls on one pair for the rest of the transaction: each reads what the other
 * booked, then books. PostgreSQL: a transaction-scoped advisory lock; SQLite transactions already hold
 * the single write lock.
 */
export async function lockPair(uow: UnitOfWork, pair: StockPair): Promise<void> {
  if (engineOf(uow.tx) !== 'postgres') return;
  const key = `erp_stock:${pair.itemId}@${pair.warehouseId}`;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(uow.tx);
}

/** The last ERP level recorded for the pair, if any. */
export async function recordedLevel(executor: Executor, pair: StockPair): Promise<ErpLevel | undefined> {
  const row = await tables(executor)
    .selectFrom('sync_erp_stock_levels')
    .select(['quantity', 'as_of'])
    .where('item_id', '=', pair.itemId)
    .where('warehouse_id', '=', pair.warehouseId)
    .executeTakeFirst();
  return row ? { quantity: row.quantity, asOf: row.as_of } : undefined;
}

export async function recordLevel(uow: UnitOfWork, pair: StockPair, level: ErpLevel): Promise<void> {
  const row = { quantity: level.quantity, as_of: level.asOf, recorded_at: nowIso() };
  await tables(uow)
    .insertInto('sync_erp_stock_levels')
    .values({ item_id: pair.itemId, warehouse_id: pair.warehouseId, ...row })
    .onConflict((oc) => oc.columns(['item_id', 'warehouse_id']).doUpdateSet(row))
    .execute();
}

/**
 * The receipts booked into the pair that a level read as of `asOf` does not contain (stamped after it;
 * all of them when `asOf` is null). Reconciled receipts are left out: a level had them before they were
 * booked, and their reconciling adjustment took them out of on-hand again.
 */
export async function receiptsAfter(
  executor: Executor,
  pair: StockPair,
  asOf: string | null,
): Promise<string> {
  let query = tables(executor)
    .selectFrom('sync_erp_stock_receipts')
    .select('quantity')
    .where('item_id', '=', pair.itemId)
    .where('warehouse_id', '=', pair.warehouseId)
    .where('reconciled_by', 'is', null);
  if (asOf !== null) query = query.where('erp_stamp', '>', asOf);
  const rows = await query.execute();
  return rows.reduce((sum, r) => sum.plus(r.quantity), new Decimal(0)).toFixed();
}

export async function isRecordedReceipt(executor: Executor, movementId: string): Promise<boolean> {
  const row = await tables(executor)
    .selectFrom('sync_erp_stock_receipts')
    .select('movement_id')
    .where('movement_id', '=', movementId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordReceipt(
  uow: UnitOfWork,
  receipt: StockPair & {
    movementId: string;
    quantity: string;
    erpStamp: string;
    reconciledBy: string | null;
  },
): Promise<void> {
  await tables(uow)
    .insertInto('sync_erp_stock_receipts')
    .values({
      movement_id: receipt.movementId,
      item_id: receipt.itemId,
      warehouse_id: receipt.warehouseId,
      quantity: new Decimal(receipt.quantity).toFixed(),
      erp_stamp: receipt.erpStamp,
      reconciled_by: receipt.reconciledBy,
      recorded_at: nowIso(),
    })
    .execute();
}

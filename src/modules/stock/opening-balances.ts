import { getItem } from '../items/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { quantityToMilli } from '../../shared/quantity.js';
import { shareLockWarehouses } from './ledger.repository.js';
import { StockEvents } from './posting.js';

export interface OpeningBalance {
  itemId: string;
  warehouseId: string;
  /** A positive decimal string. */
  quantity: string;
}

export interface OpeningBalancesOptions {
  reference?: string;
  postedAt?: string;
  createdBy?: string;
  /** Rows per INSERT statement (default 500, within both engines' bound-parameter limits). */
  chunkSize?: number;
}

/**
 * Initial load of balances the ERP already holds (and benchmarks): writes one receipt row per item ×
 * warehouse plus its level row, in chunks inside one transaction, into pairs that have no stock history
 * yet (a pair that has one is a 409). It emits ONE `stock.opening_balances.loaded` event with the counts
 * instead of one event per row, because the ERP is the source of these balances and hundreds of thousands
 * of per-row events would only flood the outbox. Items must exist, hold stock and not be serial-tracked
 * (serial-tracked stock is received with postReceipt, which records the units).
 */
export async function loadOpeningBalances(
  executor: Executor,
  balances: OpeningBalance[],
  options: OpeningBalancesOptions = {},
): Promise<{ groupId: string; rows: number }> {
  const chunkSize = options.chunkSize ?? 500;
  const rows = balances.map((b, index) => {
    const milli = quantityToMilli(b.quantity);
    if (milli <= 0)
      throw errors.validation('opening balances are positive quantities', [
        { path: [index, 'quantity'], message: 'must be greater than zero' },
      ]);
    return { ...b, milli };
  });
  return inTransaction(executor, async (uow) => {
    const warehouseIds = [...new Set(rows.map((r) => r.warehouseId))].sort();
    const found = await shareLockWarehouses(uow.tx, warehouseIds);
    for (const id of warehouseIds) {
      const row = found.find((w) => w.id === id);
      if (!row) throw errors.notFound('warehouse', id);
      if (row.status === 'archived')
        throw errors.conflict(`warehouse ${row.code} is archived`, {
          warehouseId: id,
          currentStatus: row.status,
        });
    }
    for (const itemId of new Set(rows.map((r) => r.itemId))) {
      const item = await getItem(uow, itemId);
      if (item.kind === 'service' || item.serialTracked) {
        throw errors.unprocessable(`item ${item.sku} cannot take an opening balance in bulk`, {
          itemId,
          kind: item.kind,
          serialTracked: item.serialTracked,
        });
      }
    }
    const groupId = newId();
    const now = nowIso();
    const postedAt = options.postedAt ? new Date(options.postedAt).toISOString() : now;
    for (let start = 0; start < rows.length; start += chunkSize) {
      const chunk = rows.slice(start, start + chunkSize);
      try {
        await uow.tx
          .insertInto('stock_levels')
          .values(
            chunk.map((r) => ({
              item_id: r.itemId,
              warehouse_id: r.warehouseId,
              quantity_milli: r.milli,
              version: 1,
              updated_at: now,
            })),
          )
          .execute();
      } catch (error) {
        if (isUniqueViolation(error))
          throw errors.conflict(
            'opening balances load only into item × warehouse pairs without stock history',
            {},
          );
        throw error;
      }
      await uow.tx
        .insertInto('stock_movements')
        .values(
          chunk.map((r) => ({
            id: newId(),
            kind: 'receipt',
            item_id: r.itemId,
            warehouse_id: r.warehouseId,
            quantity_milli: r.milli,
            balance_after_milli: r.milli,
            serials: '[]',
            reference: options.reference ?? 'opening-balance',
            work_order_id: null,
            counterpart_warehouse_id: null,
            reason: null,
            group_id: groupId,
            cycle_count_id: null,
            posted_at: postedAt,
            created_at: now,
            created_by: options.createdBy ?? 'system',
            idempotency_key: null,
          })),
        )
        .execute();
    }
    await uow.emit({
      type: StockEvents.openingBalancesLoaded,
      subject: `stock-opening/${groupId}`,
      data: {
        groupId,
        rows: rows.length,
        warehouseIds,
        reference: options.reference ?? 'opening-balance',
        postedAt,
      },
    });
    return { groupId, rows: rows.length };
  });
}

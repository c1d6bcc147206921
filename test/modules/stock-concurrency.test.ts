import { expect, it } from 'vitest';
import { createItem } from '../../src/modules/items/index.js';
import {
  createWarehouse,
  getOnHand,
  issueToWorkOrder,
  listMovements,
  postReceipt,
  transferStock,
  verifyLedgerConsistency,
} from '../../src/modules/stock/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

/** Outcome of each parallel call: 'ok', or the AppError code (anything else fails the test). */
async function settle(calls: (() => Promise<unknown>)[]): Promise<string[]> {
  const results = await Promise.allSettled(calls.map((call) => call()));
  return results.map((r) => {
    if (r.status === 'fulfilled') return 'ok';
    if (r.reason instanceof AppError) return r.reason.code;
    throw r.reason;
  });
}

// On PostgreSQL these run on separate pooled connections at the same time; on SQLite they queue on the
// single writer. Either way the outcome must be the same.
describeEachEngine('stock under concurrency', (handle) => {
  const db = () => handle().db;
  const item = (serialTracked = false) =>
    createItem(db(), { sku: unique('C'), name: 'Part', category: 'parts', listPrice: '1', serialTracked });
  const van = () => createWarehouse(db(), { code: unique('CV'), name: 'Van', kind: 'van', region: 'r' });

  it('10 parallel issues of 1 from a stock of 5: exactly 5 succeed, the rest are 409s, never oversold', async () => {
    const part = await item();
    const wh = await van();
    await postReceipt(db(), { itemId: part.id, warehouseId: wh.id, quantity: '5' });
    const outcomes = await settle(
      Array.from(
        { length: 10 },
        (_, i) => () =>
          issueToWorkOrder(db(), {
            itemId: part.id,
            warehouseId: wh.id,
            quantity: '1',
            workOrderId: `wo-${i}`,
          }),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(5);
    expect(await getOnHand(db(), { itemId: part.id, includeZero: true })).toEqual([
      { itemId: part.id, warehouseId: wh.id, quantity: '0' },
    ]);
    const issues = (await listMovements(db(), { itemId: part.id, kind: 'issue' }, { limit: 50 })).data;
    expect(issues.map((m) => m.onHandAfter).sort()).toEqual(['0', '1', '2', '3', '4']);
  });

  it('opposite transfers in parallel neither deadlock nor lose stock', async () => {
    const part = await item();
    const [a, b] = [await van(), await van()];
    await postReceipt(db(), { itemId: part.id, warehouseId: a.id, quantity: '20' });
    await postReceipt(db(), { itemId: part.id, warehouseId: b.id, quantity: '20' });
    const outcomes = await settle(
      Array.from(
        { length: 12 },
        (_, i) => () =>
          transferStock(db(), {
            itemId: part.id,
            fromWarehouseId: i % 2 === 0 ? a.id : b.id,
            toWarehouseId: i % 2 === 0 ? b.id : a.id,
            quantity: '3',
          }),
      ),
    );
    expect(outcomes).toEqual(Array(12).fill('ok'));
    const total = (await getOnHand(db(), { itemId: part.id })).reduce(
      (sum, r) => sum + Number(r.quantity),
      0,
    );
    expect(total).toBe(40);
    expect((await verifyLedgerConsistency(db())).consistent).toBe(true);
  });

  it('the same idempotency key posted in parallel is applied once; every caller gets the original', async () => {
    const part = await item();
    const wh = await van();
    const key = unique('same-key');
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        postReceipt(db(), { itemId: part.id, warehouseId: wh.id, quantity: '2', idempotencyKey: key }),
      ),
    );
    expect(new Set(results.map((m) => m.id)).size).toBe(1);
    expect(await getOnHand(db(), { itemId: part.id })).toEqual([
      { itemId: part.id, warehouseId: wh.id, quantity: '2' },
    ]);
  });

  it('one serial received into two warehouses at once: exactly one wins', async () => {
    const pump = await item(true);
    const [a, b] = [await van(), await van()];
    const outcomes = await settle(
      [a, b].map(
        (w) => () =>
          postReceipt(db(), { itemId: pump.id, warehouseId: w.id, quantity: '1', serials: ['ONLY-ONE'] }),
      ),
    );
    expect(outcomes.sort()).toEqual(['conflict', 'ok']);
    const total = (await getOnHand(db(), { itemId: pump.id })).reduce(
      (sum, r) => sum + Number(r.quantity),
      0,
    );
    expect(total).toBe(1);
    expect((await verifyLedgerConsistency(db())).consistent).toBe(true);
  });
});

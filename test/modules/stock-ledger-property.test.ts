import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createItem } from '../../src/modules/items/index.js';
import type { Warehouse } from '../../src/modules/stock/index.js';
import {
  createWarehouse,
  getOnHand,
  issueToWorkOrder,
  postAdjustment,
  postReceipt,
  recomputeOnHand,
  returnFromWorkOrder,
  transferStock,
  verifyLedgerConsistency,
} from '../../src/modules/stock/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { milliToQuantity } from '../../src/shared/quantity.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

const operation = fc.record({
  op: fc.constantFrom('receipt', 'issue', 'return', 'transfer', 'adjust'),
  item: fc.integer({ min: 0, max: 1 }),
  from: fc.integer({ min: 0, max: 2 }),
  to: fc.integer({ min: 0, max: 2 }),
  milli: fc.integer({ min: 1, max: 4000 }),
  negative: fc.boolean(),
});
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

describeEachEngine('stock ledger properties', (handle) => {
  const db = () => handle().db;

  it('on-hand always equals the sum of the ledger, and never goes negative where refused', async () => {
    const warehouses: Warehouse[] = [];
    for (const allowNegative of [false, false, true]) {
      warehouses.push(
        await createWarehouse(db(), {
          code: unique('PW'),
          name: 'Prop',
          kind: 'regional',
          region: 'prop',
          allowNegative,
        }),
      );
    }
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (ops: Operation[]) => {
        const items = [
          await createItem(db(), { sku: unique('PI'), name: 'Prop', category: 'prop', listPrice: '1' }),
          await createItem(db(), { sku: unique('PI'), name: 'Prop', category: 'prop', listPrice: '1' }),
        ];
        const model = new Map<string, number>();
        const key = (i: number, w: number) => `${i}:${w}`;
        const level = (i: number, w: number) => model.get(key(i, w)) ?? 0;
        for (const o of ops) {
          const item = items[o.item]?.id ?? '';
          const from = warehouses[o.from] as Warehouse;
          const to = warehouses[o.to] as Warehouse;
          const quantity = milliToQuantity(o.milli);
          const outgoing = o.op === 'issue' || o.op === 'transfer' || (o.op === 'adjust' && o.negative);
          const expectRefusal = outgoing && !from.allowNegative && level(o.item, o.from) < o.milli;
          const call = (): Promise<unknown> => {
            switch (o.op) {
              case 'receipt':
                return postReceipt(db(), { itemId: item, warehouseId: from.id, quantity });
              case 'issue':
                return issueToWorkOrder(db(), {
                  itemId: item,
                  warehouseId: from.id,
                  quantity,
                  workOrderId: 'wo-prop',
                });
              case 'return':
                return returnFromWorkOrder(db(), {
                  itemId: item,
                  warehouseId: from.id,
                  quantity,
                  workOrderId: 'wo-prop',
                });
              case 'transfer':
                return transferStock(db(), {
                  itemId: item,
                  fromWarehouseId: from.id,
                  toWarehouseId: to.id,
                  quantity,
                });
              default:
                return postAdjustment(db(), {
                  itemId: item,
                  warehouseId: from.id,
                  quantityDelta: o.negative ? `-${quantity}` : quantity,
                  reason: 'prop',
                });
            }
          };
          if (o.op === 'transfer' && o.from === o.to) {
            await expect(call()).rejects.toMatchObject({ code: 'validation' });
            continue;
          }
          let refused: AppError | undefined;
          await call().catch((error: unknown) => {
            if (!(error instanceof AppError)) throw error;
            refused = error;
          });
          expect(
            refused?.details,
            `${o.op} ${quantity} from #${o.from} holding ${level(o.item, o.from)}`,
          ).toEqual(
            expectRefusal
              ? {
                  itemId: item,
                  warehouseId: from.id,
                  available: milliToQuantity(Math.max(0, level(o.item, o.from))),
                  requested: quantity,
                }
              : undefined,
          );
          if (refused) continue;
          const sign = outgoing ? -1 : 1;
          model.set(key(o.item, o.from), level(o.item, o.from) + sign * o.milli);
          if (o.op === 'transfer') model.set(key(o.item, o.to), level(o.item, o.to) + o.milli);
        }
        for (const [i, item] of items.entries()) {
          const actual = await getOnHand(db(), { itemId: item.id, includeZero: true });
          const expected = warehouses
            .map((w, wi) => ({
              itemId: item.id,
              warehouseId: w.id,
              quantity: milliToQuantity(level(i, wi)),
              touched: model.has(key(i, wi)),
            }))
            .filter((r) => r.touched)
            .map(({ touched: _t, ...r }) => r)
            .sort((a, b) => (a.warehouseId < b.warehouseId ? -1 : 1));
          expect(actual.filter((r) => expected.some((e) => e.warehouseId === r.warehouseId))).toEqual(
            expected,
          );
          expect(
            actual.every((r) => r.warehouseId === warehouses[2]?.id || !r.quantity.startsWith('-')),
          ).toBe(true);
          expect(await recomputeOnHand(db(), { itemId: item.id })).toEqual(
            await getOnHand(db(), { itemId: item.id }),
          );
        }
        expect((await verifyLedgerConsistency(db())).consistent).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

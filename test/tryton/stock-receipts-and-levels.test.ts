// tryton-receipts-in and tryton-stock-levels-in together against a real Tryton, as shipped (both enabled):
// a receipt done in Tryton arrives through both flows, in either order, and Fieldsync's on-hand equals
// Tryton's quantity exactly with the receipt in the ledger as a receipt; pulling both again books nothing.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItemBySku } from '../../src/modules/items/index.js';
import { getOnHand, listMovements, listWarehouses } from '../../src/modules/stock/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { createTestDatabase, testEngines } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { receive } from './e2e/tryton-seed.js';
import { createGoods, createStorage, onHand as trytonOnHand } from './fixtures.js';
import { exampleWith } from './flow-harness.js';

const skip = trytonSkipReason();
const quiet = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));
const FLOWS = ['tryton-items-in', 'tryton-locations-in', 'tryton-receipts-in', 'tryton-stock-levels-in'];

describe.skipIf(skip !== undefined)(
  `tryton-receipts-in beside tryton-stock-levels-in counts each receipt once ${skip ?? ''}`,
  () => {
    let tryton: TrytonHandle;
    beforeAll(async () => {
      tryton = await startTryton();
    });
    afterAll(async () => {
      await tryton?.stop();
    });

    for (const engineName of testEngines) {
      describe(engineName, () => {
        let testDb: TestDatabase;
        beforeAll(async () => {
          testDb = await createTestDatabase(engineName);
        });
        afterAll(async () => {
          await testDb?.drop();
        });

        it('receipts land through both flows in either order; on-hand is Tryton’s, receipts are receipts', async () => {
          const db = testDb.handle.db;
          const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
          const code = `RL-${tag}`;
          const sku = `RL-SKU-${tag}`;
          const client = tryton.client();
          const location = await createStorage(tryton, code);
          const product = await createGoods(tryton, sku, { name: 'Pressure switch' });
          await receive(tryton, client, location, [{ product, quantity: 4, unitPrice: '9.00' }]);

          const engine = new SyncEngine({
            db,
            logger: quiet(),
            flowConfig: exampleWith(tryton, FLOWS),
            pollMs: 50,
          });
          try {
            const run = async (flow: string, rewind?: 'start') => {
              const result = await engine.pulls.runOnce(flow, rewind ? { rewind } : {});
              expect([result.outcome, result.conflicts]).toEqual(['completed', 0]);
              return result;
            };
            await run('tryton-items-in');
            await run('tryton-locations-in');
            const [warehouse] = (await listWarehouses(db, { code }, { limit: 1 })).data;
            const item = await getItemBySku(db, sku);
            const pair = { itemId: item?.id ?? '', warehouseId: warehouse?.id ?? '' };
            const fieldsync = async () =>
              (await getOnHand(db, { ...pair, includeZero: true }))[0]?.quantity ?? '0';
            const ledger = async () =>
              (await listMovements(db, pair, { limit: 100 })).data.map((m) => [m.kind, m.quantity]);
            const exact = async () =>
              expect(await fieldsync()).toBe(String(await trytonOnHand(client, product, location)));

            // First load: the levels first (as after an initial load), then the receipts pull from the
            // start sees the same receipt, and reconciles it.
            await run('tryton-stock-levels-in');
            expect(await fieldsync()).toBe('4');
            await run('tryton-receipts-in');
            await exact();
            expect(await ledger()).toEqual([
              ['adjustment', '4'],
              ['receipt', '4'],
              ['adjustment', '-4'],
            ]);

            // Levels then receipts again, for a receipt done later.
            await receive(tryton, client, location, [{ product, quantity: 5, unitPrice: '9.00' }]);
            await run('tryton-stock-levels-in');
            expect(await fieldsync()).toBe('9');
            await run('tryton-receipts-in');
            await exact();
            expect((await ledger()).slice(3)).toEqual([
              ['adjustment', '5'],
              ['receipt', '5'],
              ['adjustment', '-5'],
            ]);

            // Receipts then levels: the receipt alone, the level read after it books nothing.
            await receive(tryton, client, location, [{ product, quantity: 3, unitPrice: '9.00' }]);
            expect((await run('tryton-receipts-in')).created).toBe(1);
            expect(await fieldsync()).toBe('12');
            await run('tryton-stock-levels-in');
            await exact();
            expect((await ledger()).slice(6)).toEqual([['receipt', '3']]);

            // A change made in Tryton alone (goods out to a customer) still arrives as a level change.
            const [out] = await client.create('stock.move', [
              {
                product,
                uom: tryton.setup.uom.unit,
                quantity: 2,
                from_location: location,
                to_location: tryton.setup.locations.customer,
                company: tryton.setup.company.id,
                unit_price: { __class__: 'Decimal', decimal: '20.00' },
                currency: tryton.setup.company.currencyId,
              },
            ]);
            await client.execute('stock.move', 'do', [out as number], { acknowledgeWarnings: true });
            await run('tryton-stock-levels-in');
            await run('tryton-receipts-in');
            await exact();
            expect(await fieldsync()).toBe('10');

            // Both pulled again from the start: nothing new.
            const before = await ledger();
            expect((await run('tryton-receipts-in', 'start')).created).toBe(0);
            const levels = await run('tryton-stock-levels-in', 'start');
            expect([levels.created, levels.pullErrors]).toEqual([0, 0]);
            expect(await ledger()).toEqual(before);
            await exact();
            expect((await ledger()).filter(([kind]) => kind === 'receipt')).toHaveLength(3);
          } finally {
            await engine.stop();
          }
        }, 240_000);
      });
    }
  },
);

// tryton-locations-in and tryton-receipts-in against a real Tryton: a storage location becomes a Fieldsync
// warehouse, a done supplier receipt into it raises Fieldsync's on-hand by exactly the received quantity,
// once, however often the receipt is pulled again.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getItemBySku } from '../../src/modules/items/index.js';
import { getOnHand, listMovements, listWarehouses } from '../../src/modules/stock/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import { listPullErrors } from '../../src/sync/pull/index.js';
import { createTestDatabase, testEngines } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { receive } from './e2e/tryton-seed.js';
import { createGoods, createStorage } from './fixtures.js';
import { configFor } from './support.js';

const examplePath = fileURLToPath(new URL('../../config/flows/tryton.example.yaml', import.meta.url));
const skip = trytonSkipReason();
const quiet = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));
const FLOWS = ['tryton-items-in', 'tryton-locations-in', 'tryton-receipts-in'];

describe.skipIf(skip !== undefined)(
  `tryton-locations-in and tryton-receipts-in book Tryton receipts once ${skip ?? ''}`,
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

        it('a new storage location becomes a warehouse; a done receipt into it is booked exactly once', async () => {
          const raw = parse(readFileSync(examplePath, 'utf8')) as {
            connectors: { tryton: { config: Record<string, unknown> } };
            flows: { name: string; enabled?: boolean }[];
          };
          raw.connectors.tryton.config = { ...raw.connectors.tryton.config, ...configFor(tryton) };
          for (const flow of raw.flows) flow.enabled = FLOWS.includes(flow.name);
          const db = testDb.handle.db;
          const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
          const code = `RCV-${tag}`;
          const sku = `RCV-SKU-${tag}`;
          const client = tryton.client();
          const location = await createStorage(tryton, code);
          const product = await createGoods(tryton, sku, { name: 'Received valve' });
          await receive(tryton, client, location, [{ product, quantity: 7, unitPrice: '3.00' }]);

          const engine = new SyncEngine({
            db,
            logger: quiet(),
            flowConfig: validateFlowConfig(raw),
            pollMs: 50,
          });
          try {
            const run = async (flow: string, rewind?: 'start') => {
              const result = await engine.pulls.runOnce(flow, rewind ? { rewind } : {});
              expect(result.outcome).toBe('completed');
              return result;
            };
            expect((await run('tryton-items-in')).pullErrors).toBe(0);
            expect((await run('tryton-locations-in')).pullErrors).toBe(0);
            const [warehouse] = (await listWarehouses(db, { code }, { limit: 1 })).data;
            expect(warehouse).toMatchObject({
              code,
              name: `Van ${code}`,
              erpLocationRef: code,
              kind: 'central',
              status: 'active',
            });
            const item = await getItemBySku(db, sku);
            const onHand = async () =>
              (
                await getOnHand(db, {
                  itemId: item?.id ?? '',
                  warehouseId: warehouse?.id ?? '',
                  includeZero: true,
                })
              )[0]?.quantity ?? '0';
            expect(await onHand()).toBe('0');

            const first = await run('tryton-receipts-in');
            expect(first.created).toBeGreaterThanOrEqual(1);
            const errors = (await listPullErrors(db, { flow: 'tryton-receipts-in', status: 'open' })).data;
            expect(errors.filter((e) => JSON.stringify(e.data).includes(sku))).toEqual([]);
            expect(await onHand()).toBe('7');
            const receipts = async () =>
              (await listMovements(db, { warehouseId: warehouse?.id ?? '' }, { limit: 50 })).data;
            expect(await receipts()).toEqual([
              expect.objectContaining({
                kind: 'receipt',
                quantity: '7',
                idempotencyKey: expect.stringMatching(/^tryton:stock\.move:\d+$/),
                reference: expect.stringContaining('tryton-move'),
                createdBy: 'sync',
              }),
            ]);

            // A second pull (rewound to the start) books nothing more.
            const again = await run('tryton-receipts-in', 'start');
            expect(again.created).toBe(0);
            expect(await onHand()).toBe('7');

            // A later receipt is booked by the incremental pull, once; a rewind adds nothing.
            await receive(tryton, client, location, [{ product, quantity: 3, unitPrice: '3.00' }]);
            expect((await run('tryton-receipts-in')).created).toBe(1);
            expect(await onHand()).toBe('10');
            expect((await run('tryton-receipts-in', 'start')).created).toBe(0);
            expect(await onHand()).toBe('10');
            expect(await receipts()).toHaveLength(2);
          } finally {
            await engine.stop();
          }
        }, 240_000);
      });
    }
  },
);

import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { createItem } from '../../src/modules/items/index.js';
import {
  createCycleCount,
  createWarehouse,
  postCycleCount,
  postReceipt,
} from '../../src/modules/stock/index.js';
import type { Database } from '../../src/platform/db/index.js';
import type { SyncEngine } from '../../src/sync/engine/index.js';
import { createTestDatabase, testEngines } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { createGoods, createStorage, onHand, tagAttachments } from './fixtures.js';
import { engineWith, resendAll, runTag, settle } from './flow-harness.js';

const skip = trytonSkipReason();
const flow = 'tryton-cycle-counts';

for (const engineKind of testEngines) {
  describe.skipIf(skip !== undefined)(
    `${flow}: posted cycle counts as confirmed Tryton inventories (Fieldsync on ${engineKind}) ${skip ?? ''}`,
    () => {
      let tryton: TrytonHandle;
      let client: TrytonClient;
      let testDb: TestDatabase;
      let db: Kysely<Database>;
      let engine: SyncEngine | undefined;

      beforeAll(async () => {
        tryton = await startTryton();
        client = tryton.client();
        testDb = await createTestDatabase(engineKind);
        db = testDb.handle.db;
        engine = engineWith(db, tryton, [flow]);
        await engine.start();
      });
      afterAll(async () => {
        await engine?.stop();
        await testDb?.drop();
        await tryton?.stop();
      });

      it('sets Tryton to the counted quantities at the warehouse location, once, also when re-sent', async () => {
        const tag = runTag();
        const [skuA, skuB] = [`CA-${tag}`, `CB-${tag}`];
        const productA = await createGoods(tryton, skuA);
        const productB = await createGoods(tryton, skuB);
        const van = await createStorage(tryton, `VC-${tag}`);
        const a = await createItem(db, { sku: skuA, name: 'A', category: 'parts', listPrice: '1' });
        const b = await createItem(db, { sku: skuB, name: 'B', category: 'parts', listPrice: '1' });
        const wh = await createWarehouse(db, {
          code: `C-${tag}`,
          name: 'Van C',
          kind: 'van',
          region: 'north',
          erpLocationRef: `VC-${tag}`,
        });
        await postReceipt(db, { itemId: a.id, warehouseId: wh.id, quantity: '10' });
        const draft = await createCycleCount(db, {
          warehouseId: wh.id,
          lines: [
            { itemId: a.id, countedQuantity: '8' },
            { itemId: b.id, countedQuantity: '3' },
          ],
        });
        await postCycleCount(db, draft.id);
        expect(await settle(db, flow)).toEqual([]);

        const inventories = () =>
          client.searchRead<{ id: number; state: string; location: number }>(
            'stock.inventory',
            [['location', '=', van]],
            { fields: ['state', 'location'] },
          );
        const booked = await inventories();
        expect(booked.map((i) => i.state)).toEqual(['done']);
        expect([await onHand(client, productA, van), await onHand(client, productB, van)]).toEqual([8, 3]);
        const tags = await tagAttachments(client, 'stock.inventory', draft.id);
        expect(tags.map((t) => [t.resource, t.ids])).toEqual([
          [`stock.inventory,${booked[0]?.id}`, [booked[0]?.id]],
        ]);

        expect(await resendAll(db, flow)).toBe(1);
        expect(await settle(db, flow)).toEqual([]);
        expect(await inventories()).toEqual(booked);
        expect(await onHand(client, productA, van)).toBe(8);
      });
    },
  );
}

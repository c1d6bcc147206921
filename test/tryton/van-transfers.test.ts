import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { createItem } from '../../src/modules/items/index.js';
import { createWarehouse, postReceipt, transferStock } from '../../src/modules/stock/index.js';
import type { Database } from '../../src/platform/db/index.js';
import type { SyncEngine } from '../../src/sync/engine/index.js';
import { createTestDatabase, testEngines } from '../support/databases.js';
import type { TestDatabase } from '../support/databases.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { createGoods, createStorage, onHand, tagAttachments } from './fixtures.js';
import { engineWith, resendAll, runTag, settle } from './flow-harness.js';

const skip = trytonSkipReason();
const flow = 'tryton-van-transfers';

for (const engineKind of testEngines) {
  describe.skipIf(skip !== undefined)(
    `${flow}: transfers between vans as one done Tryton move (Fieldsync on ${engineKind}) ${skip ?? ''}`,
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

      it('books each transfer once between the two mapped locations, with the transfer id as reference, also when re-sent', async () => {
        const tag = runTag();
        const sku = `OIL-${tag}`;
        const product = await createGoods(tryton, sku);
        const vanA = await createStorage(tryton, `VA-${tag}`);
        const vanB = await createStorage(tryton, `VB-${tag}`);
        const item = await createItem(db, { sku, name: 'Oil', category: 'parts', listPrice: '10' });
        const a = await createWarehouse(db, {
          code: `A-${tag}`,
          name: 'Van A',
          kind: 'van',
          region: 'north',
          erpLocationRef: `VA-${tag}`,
        });
        const b = await createWarehouse(db, {
          code: `B-${tag}`,
          name: 'Van B',
          kind: 'van',
          region: 'north',
          erpLocationRef: `VB-${tag}`,
        });
        await postReceipt(db, { itemId: item.id, warehouseId: a.id, quantity: '10' });
        const first = await transferStock(db, {
          itemId: item.id,
          fromWarehouseId: a.id,
          toWarehouseId: b.id,
          quantity: '3',
          reference: 'TR-1',
        });
        const second = await transferStock(db, {
          itemId: item.id,
          fromWarehouseId: b.id,
          toWarehouseId: a.id,
          quantity: '1',
        });
        expect(await settle(db, flow)).toEqual([]);

        const moves = async () =>
          client.searchRead<{
            id: number;
            from_location: number;
            to_location: number;
            quantity: number;
            state: string;
          }>('stock.move', [['product', '=', product]], {
            fields: ['from_location', 'to_location', 'quantity', 'state'],
            order: [['id', 'ASC']],
          });
        const booked = await moves();
        expect(booked.map((m) => [m.from_location, m.to_location, m.quantity, m.state])).toEqual([
          [vanA, vanB, 3, 'done'],
          [vanB, vanA, 1, 'done'],
        ]);
        expect([await onHand(client, product, vanA), await onHand(client, product, vanB)]).toEqual([-2, 2]);
        // The transfer id is the reference Tryton is searched by before a create.
        const tags = [
          ...(await tagAttachments(client, 'stock.move', first.id)),
          ...(await tagAttachments(client, 'stock.move', second.id)),
        ];
        expect(tags.map((t) => t.ids)).toEqual(booked.map((m) => [m.id]));
        expect(tags[0]?.label).toBe(`transfer A-${tag} B-${tag} TR-1`);

        // Only the transfer fact is delivered, never the two ledger halves.
        const delivered = await db
          .selectFrom('outbox_deliveries')
          .select('event_type')
          .where('subscriber', '=', `flow:${flow}`)
          .execute();
        expect(delivered.map((d) => d.event_type)).toEqual([
          'stock.transfer.posted',
          'stock.transfer.posted',
        ]);

        // Re-sent (as after a crash before our acknowledgement): found by reference, nothing new in Tryton.
        expect(await resendAll(db, flow)).toBe(2);
        expect(await settle(db, flow)).toEqual([]);
        expect(await moves()).toEqual(booked);
      });

      it('dead-letters a transfer from a warehouse with no Tryton location, naming the missing field', async () => {
        const tag = runTag();
        const item = await createItem(db, { sku: `X-${tag}`, name: 'X', category: 'parts', listPrice: '1' });
        const unmapped = await createWarehouse(db, { code: `U-${tag}`, name: 'U', kind: 'van', region: 'n' });
        const mapped = await createWarehouse(db, {
          code: `M-${tag}`,
          name: 'M',
          kind: 'van',
          region: 'n',
          erpLocationRef: 'stock.location_storage',
        });
        await postReceipt(db, { itemId: item.id, warehouseId: unmapped.id, quantity: '1' });
        const t = await transferStock(db, {
          itemId: item.id,
          fromWarehouseId: unmapped.id,
          toWarehouseId: mapped.id,
          quantity: '1',
        });
        const failures = (await settle(db, flow)).filter((f) => f.includes('erpLocationRef'));
        expect(failures).toHaveLength(1);
        expect(failures[0]).toMatch(/validation: .*transfer\.from\.erpLocationRef/);
        const [row] = await db
          .selectFrom('outbox_deliveries')
          .select('status')
          .where('subject', '=', `stock-transfer/${t.id}`)
          .execute();
        expect(row?.status).toBe('dead');
      });
    },
  );
}

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createItem } from '../../src/modules/items/index.js';
import type { Warehouse } from '../../src/modules/stock/index.js';
import {
  archiveWarehouse,
  createWarehouse,
  getOnHand,
  issueToWorkOrder,
  listMovements,
  postAdjustment,
  postReceipt,
  recomputeOnHand,
  returnFromWorkOrder,
  transferStock,
  updateWarehouse,
  verifyLedgerConsistency,
} from '../../src/modules/stock/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { inTransaction, readEvents } from '../../src/platform/outbox/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

async function newItem(db: Db, extra: { serialTracked?: boolean; kind?: 'stocked' | 'service' } = {}) {
  return createItem(db, { sku: unique('SKU'), name: 'Filter', category: 'parts', listPrice: '10', ...extra });
}
async function newWarehouse(
  db: Db,
  extra: Partial<{ kind: Warehouse['kind']; allowNegative: boolean; region: string }> = {},
) {
  return createWarehouse(db, { code: unique('WH'), name: 'Store', kind: 'van', region: 'north', ...extra });
}

async function count(db: Db, table: 'stock_movements' | 'outbox_events' | 'stock_levels' | 'stock_serials') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
async function snapshot(db: Db) {
  return {
    movements: await count(db, 'stock_movements'),
    events: await count(db, 'outbox_events'),
    levels: await getOnHand(db, { includeZero: true }),
  };
}
async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
const movementRowFor = (itemId: string, warehouseId: string) => ({
  id: unique('manual'),
  kind: 'receipt',
  item_id: itemId,
  warehouse_id: warehouseId,
  serials: '[]',
  reference: null,
  work_order_id: null,
  counterpart_warehouse_id: null,
  reason: null,
  group_id: unique('group'),
  cycle_count_id: null,
  posted_at: new Date().toISOString(),
  created_at: new Date().toISOString(),
  created_by: 'test',
  idempotency_key: null,
});
const qty = async (db: Db, itemId: string, warehouseId: string) =>
  (await getOnHand(db, { itemId, warehouseId, includeZero: true }))[0]?.quantity ?? '0';

describeEachEngine('stock ledger', (handle) => {
  const db = () => handle().db;

  describe('receipts, issues and returns', () => {
    it('a receipt writes one ledger row, moves on-hand and announces both per item × warehouse', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      const movement = await postReceipt(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '5',
        reference: 'PR-1',
      });
      expect(movement).toMatchObject({
        kind: 'receipt',
        quantity: '5',
        onHandAfter: '5',
        reference: 'PR-1',
        createdBy: 'system',
      });
      expect(await qty(db(), item.id, van.id)).toBe('5');
      const events = await readEvents(db(), { subject: `stock/${item.id}:${van.id}` });
      expect(events.map((e) => e.type)).toEqual(['stock.movement.posted']);
      expect(events[0]?.data).toEqual({
        movement,
        onHand: { itemId: item.id, warehouseId: van.id, quantity: '5' },
        item: { id: item.id, sku: item.sku },
        warehouse: { id: van.id, code: van.code, erpLocationRef: van.erpLocationRef },
      });
    });

    it('keeps decimal quantities exact', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '0.5' });
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '0.25' });
      const issued = await issueToWorkOrder(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '0.125',
        workOrderId: 'wo-1',
      });
      expect(issued).toMatchObject({ quantity: '-0.125', onHandAfter: '0.625', workOrderId: 'wo-1' });
      const back = await returnFromWorkOrder(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '0.1',
        workOrderId: 'wo-1',
      });
      expect(back).toMatchObject({ kind: 'return', quantity: '0.1', onHandAfter: '0.725' });
    });

    it('parts issued beyond available van stock: 409 with the available quantity, nothing posted', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '2.5' });
      const before = await snapshot(db());
      const error = await caught(
        issueToWorkOrder(db(), { itemId: item.id, warehouseId: van.id, quantity: '3', workOrderId: 'wo-2' }),
      );
      expect(error.code).toBe('conflict');
      expect(error.details).toEqual({
        itemId: item.id,
        warehouseId: van.id,
        available: '2.5',
        requested: '3',
      });
      expect(await snapshot(db())).toEqual(before);
    });

    it('refuses an issue from a pair that never had stock, with available 0', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      const before = await snapshot(db());
      const error = await caught(
        issueToWorkOrder(db(), { itemId: item.id, warehouseId: van.id, quantity: '1', workOrderId: 'wo-3' }),
      );
      expect(error.details).toMatchObject({ available: '0', requested: '1' });
      expect(await snapshot(db())).toEqual(before);
    });

    it('lets stock go negative where the warehouse allows it', async () => {
      const item = await newItem(db());
      const store = await newWarehouse(db(), { kind: 'central', allowNegative: true });
      const movement = await issueToWorkOrder(db(), {
        itemId: item.id,
        warehouseId: store.id,
        quantity: '2',
        workOrderId: 'wo-4',
      });
      expect(movement.onHandAfter).toBe('-2');
      expect(await qty(db(), item.id, store.id)).toBe('-2');
      // Switching the policy off again refuses further outgoing stock, reporting 0 available.
      await updateWarehouse(db(), store.id, { allowNegative: false });
      const error = await caught(
        postAdjustment(db(), {
          itemId: item.id,
          warehouseId: store.id,
          quantityDelta: '-1',
          reason: 'damaged',
        }),
      );
      expect(error.details).toMatchObject({ available: '0', requested: '1' });
    });

    it('refuses stock for service items, unknown items and unknown warehouses without writing', async () => {
      const service = await newItem(db(), { kind: 'service' });
      const item = await newItem(db());
      const van = await newWarehouse(db());
      const before = await snapshot(db());
      expect(
        (await caught(postReceipt(db(), { itemId: service.id, warehouseId: van.id, quantity: '1' }))).code,
      ).toBe('unprocessable');
      expect(
        (await caught(postReceipt(db(), { itemId: 'no-such-item', warehouseId: van.id, quantity: '1' })))
          .code,
      ).toBe('not_found');
      expect(
        (await caught(postReceipt(db(), { itemId: item.id, warehouseId: 'no-such-wh', quantity: '1' }))).code,
      ).toBe('not_found');
      expect(await snapshot(db())).toEqual(before);
    });

    it('rejects malformed quantities and future postedAt with 400s naming the field', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      const before = await snapshot(db());
      for (const quantity of ['0', '-1', '1.2345', 'abc']) {
        const error = await caught(postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity }));
        expect(error.code).toBe('validation');
        expect(error.issues[0]?.path).toEqual(['quantity']);
      }
      const future = new Date(Date.now() + 3600_000).toISOString();
      const error = await caught(
        postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '1', postedAt: future }),
      );
      expect(error.issues[0]?.path).toEqual(['postedAt']);
      expect(await snapshot(db())).toEqual(before);
      const backdated = await postReceipt(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '1',
        postedAt: '2024-01-02T03:04:05+02:00',
      });
      expect(backdated.postedAt).toBe('2024-01-02T01:04:05.000Z');
    });
  });

  describe('transfers', () => {
    it('moves stock as two rows of one group, both or neither', async () => {
      const item = await newItem(db());
      const central = await newWarehouse(db(), { kind: 'central' });
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: central.id, quantity: '10' });
      const transfer = await transferStock(db(), {
        itemId: item.id,
        fromWarehouseId: central.id,
        toWarehouseId: van.id,
        quantity: '4',
      });
      expect(transfer.out).toMatchObject({
        kind: 'transfer_out',
        quantity: '-4',
        onHandAfter: '6',
        counterpartWarehouseId: van.id,
        groupId: transfer.id,
      });
      expect(transfer.in).toMatchObject({
        kind: 'transfer_in',
        quantity: '4',
        onHandAfter: '4',
        counterpartWarehouseId: central.id,
        groupId: transfer.id,
      });
      // One stock.transfer.posted for the pair, naming the item by SKU and both warehouses' ERP locations.
      const [fact] = await readEvents(db(), { subject: `stock-transfer/${transfer.id}` });
      expect(fact?.type).toBe('stock.transfer.posted');
      expect(fact?.data).toEqual({
        transfer: {
          id: transfer.id,
          item: { id: item.id, sku: item.sku },
          quantity: '4',
          serials: [],
          reference: null,
          postedAt: transfer.out.postedAt,
          from: { id: central.id, code: central.code, erpLocationRef: central.erpLocationRef },
          to: { id: van.id, code: van.code, erpLocationRef: van.erpLocationRef },
          outMovementId: transfer.out.id,
          inMovementId: transfer.in.id,
          lines: [{ itemId: item.id, sku: item.sku, quantity: '4', serials: [] }],
        },
      });

      const before = await snapshot(db());
      const error = await caught(
        transferStock(db(), {
          itemId: item.id,
          fromWarehouseId: central.id,
          toWarehouseId: van.id,
          quantity: '7',
        }),
      );
      expect(error.details).toMatchObject({ warehouseId: central.id, available: '6', requested: '7' });
      expect(await snapshot(db())).toEqual(before);
    });

    it('writes neither half when the destination refuses (archived) or equals the source', async () => {
      const item = await newItem(db());
      const central = await newWarehouse(db(), { kind: 'central' });
      const closed = await newWarehouse(db());
      await archiveWarehouse(db(), closed.id);
      await postReceipt(db(), { itemId: item.id, warehouseId: central.id, quantity: '3' });
      const before = await snapshot(db());
      const archived = await caught(
        transferStock(db(), {
          itemId: item.id,
          fromWarehouseId: central.id,
          toWarehouseId: closed.id,
          quantity: '1',
        }),
      );
      expect(archived.code).toBe('conflict');
      const same = await caught(
        transferStock(db(), {
          itemId: item.id,
          fromWarehouseId: central.id,
          toWarehouseId: central.id,
          quantity: '1',
        }),
      );
      expect(same.code).toBe('validation');
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe('idempotency keys', () => {
    it('applies a retried post once and returns the original movement', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      const first = await postReceipt(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '2',
        idempotencyKey: unique('key'),
      });
      const before = await snapshot(db());
      const again = await postReceipt(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '2',
        idempotencyKey: first.idempotencyKey ?? '',
      });
      expect(again).toEqual(first);
      expect(await snapshot(db())).toEqual(before);
    });

    it('replays a transfer as the same pair, and refuses the key for another movement with 422', async () => {
      const item = await newItem(db());
      const a = await newWarehouse(db(), { kind: 'central' });
      const b = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: a.id, quantity: '5' });
      const key = unique('transfer');
      const input = {
        itemId: item.id,
        fromWarehouseId: a.id,
        toWarehouseId: b.id,
        quantity: '1',
        idempotencyKey: key,
      };
      const first = await transferStock(db(), input);
      const before = await snapshot(db());
      expect(await transferStock(db(), input)).toEqual(first);
      const reused = await caught(transferStock(db(), { ...input, quantity: '2' }));
      expect(reused.code).toBe('unprocessable');
      expect(reused.details).toMatchObject({ idempotencyKey: key, movementId: first.out.id });
      expect(await snapshot(db())).toEqual(before);
    });

    it('replays even when the original could no longer be posted (stock has moved on)', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '1' });
      const input = {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '1',
        workOrderId: 'wo-5',
        idempotencyKey: unique('issue'),
      };
      const first = await issueToWorkOrder(db(), input);
      expect(await issueToWorkOrder(db(), input)).toEqual(first);
      expect(await qty(db(), item.id, van.id)).toBe('0');
    });
  });

  describe('inside a caller transaction (how work orders post)', () => {
    it('rolls back with the caller', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '3' });
      const before = await snapshot(db());
      await expect(
        inTransaction(db(), async (uow) => {
          await issueToWorkOrder(uow, {
            itemId: item.id,
            warehouseId: van.id,
            quantity: '1',
            workOrderId: 'wo-6',
          });
          throw new Error('work order completion failed later');
        }),
      ).rejects.toThrow('completion failed');
      expect(await snapshot(db())).toEqual(before);
    });

    it('leaves nothing behind when the caller catches a refusal and commits its own work', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '1' });
      const before = await snapshot(db());
      await inTransaction(db(), async (uow) => {
        const error = await caught(
          issueToWorkOrder(uow, { itemId: item.id, warehouseId: van.id, quantity: '2', workOrderId: 'wo-7' }),
        );
        expect(error.details).toMatchObject({ available: '1' });
        await uow.emit({ type: 'work_order.noted', subject: 'work-order/wo-7', data: {} });
      });
      const after = await snapshot(db());
      expect(after.movements).toBe(before.movements);
      expect(after.levels).toEqual(before.levels);
      expect(after.events).toBe(before.events + 1);
    });
  });

  describe('listing, derivation and consistency', () => {
    it('filters movements and refuses a date range whose from is after its to', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '4',
        postedAt: '2024-03-01T10:00:00Z',
      });
      await issueToWorkOrder(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '1',
        workOrderId: 'wo-8',
        postedAt: '2024-03-02T10:00:00Z',
      });
      const page = { limit: 50 };
      expect((await listMovements(db(), { itemId: item.id }, page)).data).toHaveLength(2);
      expect(
        (await listMovements(db(), { itemId: item.id, kind: 'issue' }, page)).data.map((m) => m.workOrderId),
      ).toEqual(['wo-8']);
      expect((await listMovements(db(), { workOrderId: 'wo-8' }, page)).data).toHaveLength(1);
      expect(
        (await listMovements(db(), { itemId: item.id, from: '2024-03-02', to: '2024-03-02' }, page)).data.map(
          (m) => m.kind,
        ),
      ).toEqual(['issue']);
      expect(
        (await listMovements(db(), { itemId: item.id, to: '2024-03-01T23:59:59Z' }, page)).data.map(
          (m) => m.kind,
        ),
      ).toEqual(['receipt']);
      const error = await caught(listMovements(db(), { from: '2024-03-05', to: '2024-03-01' }, page));
      expect(error.code).toBe('validation');
      expect(error.issues.map((i) => i.path)).toEqual([['from'], ['to']]);
    });

    it('derives the same on-hand from the ledger as the maintained levels, and spots tampering', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db(), { region: 'east' });
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '7' });
      expect(await recomputeOnHand(db())).toEqual(await getOnHand(db()));
      expect(await getOnHand(db(), { region: 'east', itemId: item.id })).toEqual([
        { itemId: item.id, warehouseId: van.id, quantity: '7' },
      ]);
      expect(await verifyLedgerConsistency(db())).toEqual({
        consistent: true,
        levelMismatches: [],
        serialMismatches: [],
      });

      await db()
        .updateTable('stock_levels')
        .set({ quantity_milli: 6000 })
        .where('item_id', '=', item.id)
        .execute();
      const report = await verifyLedgerConsistency(db());
      expect(report.consistent).toBe(false);
      expect(report.levelMismatches).toEqual([
        { itemId: item.id, warehouseId: van.id, level: '6', ledger: '7' },
      ]);
      await db()
        .updateTable('stock_levels')
        .set({ quantity_milli: 7000 })
        .where('item_id', '=', item.id)
        .execute();
      expect((await verifyLedgerConsistency(db())).consistent).toBe(true);

      // A ledger row written behind the service's back, with no level row for its pair.
      const other = await newWarehouse(db());
      await db()
        .insertInto('stock_movements')
        .values({ ...movementRowFor(item.id, other.id), quantity_milli: 1500, balance_after_milli: 1500 })
        .execute();
      expect((await verifyLedgerConsistency(db())).levelMismatches).toEqual([
        { itemId: item.id, warehouseId: other.id, level: null, ledger: '1.5' },
      ]);
      // The ledger cannot be edited back; the level is brought in line with it instead.
      await db()
        .insertInto('stock_levels')
        .values({
          item_id: item.id,
          warehouse_id: other.id,
          quantity_milli: 1500,
          version: 1,
          updated_at: new Date().toISOString(),
        })
        .execute();
      expect((await verifyLedgerConsistency(db())).consistent).toBe(true);
    });

    it('keeps the ledger append-only: the database refuses UPDATE and DELETE', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      const movement = await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '1' });
      await expect(
        db()
          .updateTable('stock_movements')
          .set({ quantity_milli: 2000 })
          .where('id', '=', movement.id)
          .execute(),
      ).rejects.toThrow(/append-only/);
      await expect(
        db().deleteFrom('stock_movements').where('id', '=', movement.id).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(sql`update stock_movements set reason = 'x'`.execute(db())).rejects.toThrow(/append-only/);
      expect(await listMovements(db(), { itemId: item.id }, { limit: 5 })).toMatchObject({
        data: [{ id: movement.id, quantity: '1' }],
      });
    });
  });

  describe('warehouses', () => {
    it('refuses to archive a warehouse that holds stock, and archives it once empty', async () => {
      const item = await newItem(db());
      const van = await newWarehouse(db());
      await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '1' });
      const error = await caught(archiveWarehouse(db(), van.id));
      expect(error.details).toEqual({ nonZeroItems: 1 });
      await postAdjustment(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantityDelta: '-1',
        reason: 'lost',
      });
      expect((await archiveWarehouse(db(), van.id)).status).toBe('archived');
      const refused = await caught(
        postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '1' }),
      );
      expect(refused.details).toMatchObject({ currentStatus: 'archived' });
    });

    it('refuses a duplicate code with 409 naming the holder', async () => {
      const first = await newWarehouse(db());
      const error = await caught(
        createWarehouse(db(), { code: first.code, name: 'Dup', kind: 'central', region: 'x' }),
      );
      expect(error.code).toBe('conflict');
      expect(error.details).toMatchObject({ field: 'code', conflictingId: first.id });
    });
  });
});

// The inbound warehouse and stock receipt appliers, through the pull machinery against the loopback test
// ERP: locations become warehouses (matched by erpLocationRef), receipts are booked once per ERP move.
import { afterEach, expect, it } from 'vitest';
import { createItem } from '../../src/modules/items/index.js';
import {
  createWarehouse,
  getOnHand,
  getWarehouse,
  listMovements,
  listWarehouses,
} from '../../src/modules/stock/index.js';
import { listPullErrors } from '../../src/sync/pull/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { eventsOf, localIdOf, pullFixture, rand } from './pull-fixture.js';

/** As tryton-locations-in (config/flows/tryton.example.yaml). */
const locationMapping = {
  fields: {
    code: { from: 'ref', owner: 'erp', required: true },
    name: { from: 'name', owner: 'erp', required: true },
    erpLocationRef: { from: 'ref', owner: 'erp', required: true },
    kind: { owner: 'fieldsync', transform: [{ constant: { value: 'central' } }] },
    region: { from: 'warehouseCode', owner: 'fieldsync', transform: [{ default: { value: 'default' } }] },
    status: {
      from: 'active',
      owner: 'erp',
      transform: [{ valueMap: { map: { true: 'active', false: 'archived' } } }],
    },
  },
};

/** As tryton-receipts-in. */
const receiptMapping = {
  fields: {
    sku: { from: 'sku', owner: 'erp', required: true },
    erpLocationRef: { from: 'toLocationRef', owner: 'erp', required: true },
    quantity: { from: 'quantity', owner: 'erp', required: true },
    reference: {
      owner: 'erp',
      transform: [{ concat: { parts: ['shipment', 'origin', { value: 'tryton-move' }, 'id'], sep: ' ' } }],
    },
    postedAt: { from: 'effectiveDate', owner: 'erp', transform: [{ date: { output: 'datetime' } }] },
    idempotencyKey: {
      owner: 'erp',
      transform: [{ concat: { parts: [{ value: 'tryton:stock.move' }, 'id'], sep: ':' } }],
    },
  },
};

describeEachEngine('inbound warehouses and stock receipts', (db) => {
  let fixture: PullFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const warehouseByRef = async (ref: string) =>
    (await listWarehouses(db().db, {}, { limit: 500 })).data.filter((w) => w.erpLocationRef === ref);

  it('creates warehouses from locations through the stock module, and matches one made by hand', async () => {
    fixture = await pullFixture(db().db, {
      entity: 'warehouse',
      sourceEntity: 'location',
      mapping: locationMapping,
    });
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const van = await createWarehouse(db().db, {
      code: `VAN-${p}`,
      name: 'Van by hand',
      kind: 'van',
      region: 'north',
      erpLocationRef: `VAN-${p}`,
    });
    const [store, handVan, gone] = erp.store.seed('location', [
      { data: { ref: `STO-${p}`, name: 'Storage', warehouseCode: 'WH', active: true } },
      { data: { ref: `VAN-${p}`, name: 'Van in Tryton', warehouseCode: 'WH', active: true } },
      { data: { ref: `OLD-${p}`, name: 'Old shelf', warehouseCode: null, active: false } },
    ]);
    const first = await scheduler.runOnce(flow.name);
    expect(first).toMatchObject({ outcome: 'completed', created: 2, updated: 1, pullErrors: 0 });

    const storeId = await localIdOf(db().db, connector, store?.id ?? '');
    expect(await getWarehouse(db().db, storeId)).toMatchObject({
      code: `STO-${p}`,
      name: 'Storage',
      kind: 'central',
      region: 'WH',
      erpLocationRef: `STO-${p}`,
      status: 'active',
    });
    const created = await eventsOf(db().db, `warehouse/${storeId}`);
    expect(created.map((e) => e.type)).toEqual(['warehouse.created']);
    expect(created[0]?.data.origin).toMatchObject({ connector, flow: flow.name, externalId: store?.id });

    // The van made by hand is the same place: linked, its ERP-owned name taken, its own kind kept.
    expect(await localIdOf(db().db, connector, handVan?.id ?? '')).toBe(van.id);
    expect(await getWarehouse(db().db, van.id)).toMatchObject({ name: 'Van in Tryton', kind: 'van' });
    expect(await warehouseByRef(`VAN-${p}`)).toHaveLength(1);

    // An inactive location is mirrored as an archived warehouse.
    const goneId = await localIdOf(db().db, connector, gone?.id ?? '');
    expect(await getWarehouse(db().db, goneId)).toMatchObject({ status: 'archived', region: 'default' });

    // A rename, then the location is deactivated: updated, then archived, each through the module.
    erp.store.mutate('location', store?.id ?? '', { name: 'Main storage' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    erp.store.mutate('location', store?.id ?? '', { active: false });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    expect(await getWarehouse(db().db, storeId)).toMatchObject({ name: 'Main storage', status: 'archived' });
    expect((await eventsOf(db().db, `warehouse/${storeId}`)).map((e) => e.type)).toEqual([
      'warehouse.created',
      'warehouse.updated',
      'warehouse.archived',
    ]);

    // Active again: Fieldsync cannot reactivate a warehouse, so this is a pull error of the record.
    erp.store.mutate('location', store?.id ?? '', { active: true });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 0, pullErrors: 1 });
    const [error] = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    expect(error).toMatchObject({ externalId: store?.id, errorClass: 'conflict' });
    expect(error?.message).toContain('cannot reactivate');
  });

  it('bad location data is a validation pull error and writes nothing', async () => {
    fixture = await pullFixture(db().db, {
      entity: 'warehouse',
      sourceEntity: 'location',
      mapping: locationMapping,
    });
    const { erp, scheduler, flow } = fixture;
    const p = rand();
    const [bad] = erp.store.seed('location', [
      { data: { ref: `BAD ${p} with spaces`, name: 'Bad', warehouseCode: 'WH', active: true } },
    ]);
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: 0, pullErrors: 1 });
    const [error] = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    expect(error).toMatchObject({ externalId: bad?.id, errorClass: 'validation' });
    expect(error?.message).toContain('code');
    expect(await warehouseByRef(`BAD ${p} with spaces`)).toHaveLength(0);
  });

  async function receiptWorld(p: string) {
    const item = await createItem(db().db, {
      sku: `R-${p}`,
      name: 'Filter',
      category: 'parts',
      listPrice: '1',
    });
    const warehouse = await createWarehouse(db().db, {
      code: `W-${p}`,
      name: 'Central',
      kind: 'central',
      region: 'north',
      erpLocationRef: `stock.loc_${p}`,
    });
    const onHand = async () =>
      (await getOnHand(db().db, { itemId: item.id, warehouseId: warehouse.id, includeZero: true }))[0]
        ?.quantity ?? '0';
    return { item, warehouse, onHand };
  }

  const receiptFixture = () =>
    pullFixture(db().db, {
      entity: 'stock_receipt',
      sourceEntity: 'stock_receipt',
      mapping: receiptMapping,
      operation: 'create',
    });

  it('books each ERP receipt once through postReceipt, however often it is pulled again', async () => {
    fixture = await receiptFixture();
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const { item, warehouse, onHand } = await receiptWorld(p);
    const [move] = erp.store.seed('stock_receipt', [
      {
        data: {
          id: 901,
          sku: `R-${p}`,
          toLocationRef: `stock.loc_${p}`,
          quantity: '5',
          shipment: 'stock.shipment.in,7',
          origin: null,
          effectiveDate: '2026-01-15',
        },
      },
    ]);
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await onHand()).toBe('5');
    const movementId = await localIdOf(db().db, connector, move?.id ?? '');
    const { data: movements } = await listMovements(db().db, { warehouseId: warehouse.id }, { limit: 10 });
    expect(movements).toEqual([
      expect.objectContaining({
        id: movementId,
        kind: 'receipt',
        itemId: item.id,
        quantity: '5',
        reference: 'stock.shipment.in,7 tryton-move 901',
        idempotencyKey: 'tryton:stock.move:901',
        postedAt: expect.stringMatching(/^2026-01-15T00:00:00/),
        createdBy: 'sync',
      }),
    ]);
    const events = await eventsOf(db().db, `stock/${item.id}:${warehouse.id}`);
    expect(events.filter((e) => e.type === 'stock.movement.posted')).toHaveLength(1);

    // Read again from the start (an overlap window, a rewind): nothing new, nothing booked.
    expect(await scheduler.runOnce(flow.name, { rewind: 'start' })).toMatchObject({
      created: 0,
      pullErrors: 0,
    });
    // Read again with a changed ERP stamp (not deduped by hash): the crosswalk knows it, skipped.
    erp.store.mutate('stock_receipt', move?.id ?? '', { origin: 'purchase.line,3' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: 0, skipped: 1, pullErrors: 0 });
    // Even with its crosswalk link and snapshot lost, the stock module's idempotency key finds the booking.
    await db().db.deleteFrom('sync_crosswalk').where('connector', '=', connector).execute();
    await db().db.deleteFrom('sync_snapshots').where('connector', '=', connector).execute();
    expect(await scheduler.runOnce(flow.name, { rewind: 'start' })).toMatchObject({
      created: 0,
      pullErrors: 0,
    });
    expect(await localIdOf(db().db, connector, move?.id ?? '')).toBe(movementId);
    expect(await onHand()).toBe('5');
    expect((await listMovements(db().db, { warehouseId: warehouse.id }, { limit: 10 })).data).toHaveLength(1);
  });

  it('a receipt of an unknown SKU or into an unknown location is a pull error, booked once both exist', async () => {
    fixture = await receiptFixture();
    const { erp, scheduler, flow } = fixture;
    const p = rand();
    const { onHand } = await receiptWorld(p);
    const [noItem, noPlace, bad] = erp.store.seed('stock_receipt', [
      { data: { id: 1, sku: `NOPE-${p}`, toLocationRef: `stock.loc_${p}`, quantity: '2' } },
      { data: { id: 2, sku: `R-${p}`, toLocationRef: `VAN-${p}`, quantity: '3' } },
      { data: { id: 3, sku: `R-${p}`, toLocationRef: `stock.loc_${p}`, quantity: '-1' } },
    ]);
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: 0, pullErrors: 3 });
    const errors = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    const of = (id: string | undefined) => errors.find((e) => e.externalId === id);
    expect(of(noItem?.id)).toMatchObject({ errorClass: 'not_found' });
    expect(of(noItem?.id)?.message).toContain(`SKU NOPE-${p}: no Fieldsync item has this SKU`);
    expect(of(noPlace?.id)).toMatchObject({ errorClass: 'not_found' });
    expect(of(noPlace?.id)?.message).toContain(`ERP location VAN-${p}: no Fieldsync warehouse`);
    expect(of(bad?.id)).toMatchObject({ errorClass: 'validation' });
    expect(await onHand()).toBe('0');

    // The van arrives in Fieldsync; retrying the set-aside records books that receipt, once.
    const van = await createWarehouse(db().db, {
      code: `VAN-${p}`,
      name: 'Van',
      kind: 'van',
      region: 'north',
    });
    expect(await scheduler.runOnce(flow.name, { rewind: 'pull_errors' })).toMatchObject({
      created: 1,
      pullErrors: 2,
    });
    expect(await scheduler.runOnce(flow.name, { rewind: 'pull_errors' })).toMatchObject({ created: 0 });
    const [pair] = await getOnHand(db().db, { warehouseId: van.id });
    expect(pair?.quantity).toBe('3');
  });
});

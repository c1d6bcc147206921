import { expect, it } from 'vitest';
import {
  archiveItem,
  createItem,
  getItemBySku,
  listItems,
  updateItem,
} from '../../src/modules/items/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

describeEachEngine('items service', (db) => {
  it('stores prices exactly as decimals in their currency', async () => {
    const item = await createItem(db().db, {
      sku: 'OIL-5L',
      name: 'Oil 5 L',
      category: 'consumables',
      unit: 'l',
      listPrice: '49.90',
      costPrice: '31.05',
    });
    expect(item).toMatchObject({
      listPrice: '49.90',
      costPrice: '31.05',
      currency: 'EUR',
      kind: 'stocked',
      serialTracked: false,
    });
    const yen = await createItem(db().db, {
      sku: 'JP-1',
      name: 'Yen part',
      category: 'x',
      listPrice: '1200',
      currency: 'JPY',
    });
    expect(yen.listPrice).toBe('1200');
    expect((await getItemBySku(db().db, 'OIL-5L'))?.id).toBe(item.id);
  });

  it('rejects a serial-tracked service item', async () => {
    await expect(
      createItem(db().db, {
        sku: 'SVC-1',
        name: 'Visit',
        category: 'labor',
        listPrice: '1',
        kind: 'service',
        serialTracked: true,
      }),
    ).rejects.toThrow();
    const svc = await createItem(db().db, {
      sku: 'SVC-2',
      name: 'Visit',
      category: 'labor',
      listPrice: '1',
      kind: 'service',
    });
    await expect(updateItem(db().db, svc.id, { serialTracked: true })).rejects.toMatchObject({
      code: 'validation',
    });
  });

  it('updates with changed fields, refuses stale versions and duplicate barcodes', async () => {
    const a = await createItem(db().db, {
      sku: 'FLT-1',
      barcode: '5400000000011',
      name: 'Filter',
      category: 'filters',
      listPrice: '10',
    });
    const b = await createItem(db().db, {
      sku: 'FLT-2',
      name: 'Filter 2',
      category: 'filters',
      listPrice: '10',
    });
    const u = await updateItem(db().db, a.id, { listPrice: '12.00', name: 'Filter XL' }, 1);
    expect(u).toMatchObject({ version: 2, listPrice: '12.00', name: 'Filter XL' });
    await expect(updateItem(db().db, a.id, { name: 'stale' }, 1)).rejects.toMatchObject({
      code: 'precondition_failed',
    });
    await expect(updateItem(db().db, b.id, { barcode: '5400000000011' })).rejects.toMatchObject({
      code: 'conflict',
      details: { conflictingId: a.id },
    });
    const events = await readEvents(db().db, { subject: `item/${a.id}` });
    expect((events[1]?.data as { changedFields: string[] }).changedFields.sort()).toEqual([
      'listPrice',
      'name',
    ]);
  });

  it('filters by category, kind and text; archives', async () => {
    await createItem(db().db, { sku: 'BLT-1', name: 'V-belt', category: 'belts', listPrice: '5' });
    const page = await listItems(db().db, { category: 'belts' }, { limit: 10 });
    expect(page.data.map((i) => i.sku)).toEqual(['BLT-1']);
    const byText = await listItems(db().db, { q: 'v-BELT' }, { limit: 10 });
    expect(byText.data).toHaveLength(1);
    const archived = await archiveItem(db().db, page.data[0]?.id ?? '');
    expect(archived.status).toBe('archived');
    expect(
      (await listItems(db().db, { category: 'belts', status: 'active' }, { limit: 10 })).data,
    ).toHaveLength(0);
  });
});

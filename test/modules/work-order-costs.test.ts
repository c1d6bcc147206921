import { expect, it } from 'vitest';
import { createAsset } from '../../src/modules/assets/index.js';
import type { BillingWorld } from '../../src/modules/billing/testing/billing-world.js';
import { completedWorkOrder, createBillingWorld } from '../../src/modules/billing/testing/billing-world.js';
import { createItem, updateItem } from '../../src/modules/items/index.js';
import { postReceipt } from '../../src/modules/stock/index.js';
import { correctWorkOrder } from '../../src/modules/work-orders/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

const costed = async (db: Db, workOrderId: string) =>
  (await readEvents(db, { subject: `work_order/${workOrderId}` }))
    .filter((e) => e.type === 'work_order.costed')
    .map((e) => e.data as Record<string, unknown>);

/** A second asset at the world's customer, on its own cost center (or none). */
async function otherAsset(db: Db, w: BillingWorld, costCenter: string | undefined, n: number) {
  const asset = await createAsset(db, {
    serialNumber: `SN2-${w.tag}-${n}`,
    itemId: w.items.valve,
    customerId: w.customerId,
    siteId: w.siteId,
    name: `Dryer ${n}`,
    ...(costCenter !== undefined && { costCenter }),
  });
  return asset.id;
}

describeEachEngine('work orders: maintenance cost per asset cost center', (handle) => {
  const db = () => handle().db;

  it('costs labor at the technician rate and parts at cost on the primary asset, once, at completion', async () => {
    const w = await createBillingWorld(db());
    const wo = await completedWorkOrder(db(), w, {
      completedAt: '2026-03-14T15:20:00Z',
      labor: [{ minutes: 90 }, { minutes: 20, billable: false }],
      parts: [
        { itemId: w.items.filter, quantity: '2' },
        { itemId: w.items.oil, quantity: '0.333' },
      ],
    });
    // labor: 110 min at 45.00/h = 82.50; parts: 2 × 8.00 + 0.333 × 4.00 = 17.332 → 17.33.
    expect(await costed(db(), wo.id)).toEqual([
      {
        workOrderId: wo.id,
        number: wo.number,
        revision: 0,
        currency: 'EUR',
        date: '2026-03-14',
        costedAt: expect.any(String),
        customerId: w.customerId,
        contractId: null,
        lines: [
          {
            costCenter: `CC-${w.tag}`,
            currency: 'EUR',
            labor: '82.5',
            parts: '17.33',
            amount: '99.83',
            total: '99.83',
            assetIds: [w.assetId],
          },
        ],
        unallocated: [],
      },
    ]);
    const rows = await db()
      .selectFrom('work_order_costs')
      .selectAll()
      .where('work_order_id', '=', wo.id)
      .execute();
    expect(rows.map((r) => [r.revision, r.cost_center, r.amount])).toEqual([[0, `CC-${w.tag}`, '99.83']]);
  });

  it('a correction books only the change, at the cost price of the day; one that changes no cost books nothing', async () => {
    const w = await createBillingWorld(db());
    const wo = await completedWorkOrder(db(), w, {
      completedAt: '2026-03-14T15:20:00Z',
      labor: [{ minutes: 60 }],
      parts: [{ itemId: w.items.belt, quantity: '1' }],
    });
    await correctWorkOrder(db(), wo.id, {
      reason: 'typo',
      changes: { title: 'Compressor service (annual)' },
    });
    expect(await costed(db(), wo.id)).toHaveLength(1);

    await updateItem(db(), w.items.filter, { costPrice: '9.50' });
    const beltLine = (
      await db()
        .selectFrom('work_order_parts')
        .select('id')
        .where('work_order_id', '=', wo.id)
        .executeTakeFirstOrThrow()
    ).id;
    await correctWorkOrder(db(), wo.id, {
      reason: 'it was a filter, not a belt',
      changes: { partsRemove: [beltLine], partsAdd: [{ itemId: w.items.filter, quantity: '1' }] },
    });
    const events = await costed(db(), wo.id);
    expect(events.map((e) => [e.revision, e.lines])).toEqual([
      [0, [expect.objectContaining({ labor: '45', parts: '20', amount: '65', total: '65' })]],
      // 20.00 for the belt given back, 9.50 for the filter: −10.50, the cost center now at 54.50.
      [2, [expect.objectContaining({ labor: '0', parts: '-10.5', amount: '-10.5', total: '54.5' })]],
    ]);
  });

  it('parts fitted to another asset go to its cost center; cost without a cost center is kept, not announced', async () => {
    const w = await createBillingWorld(db());
    const dryer = await otherAsset(db(), w, `CC2-${w.tag}`, 1);
    const bare = await otherAsset(db(), w, undefined, 2);
    const wo = await completedWorkOrder(db(), w, {
      completedAt: '2026-03-14T15:20:00Z',
      assetIds: [w.assetId, dryer, bare],
      labor: [{ minutes: 60 }],
      parts: [
        { itemId: w.items.valve, quantity: '1', assetId: dryer },
        { itemId: w.items.belt, quantity: '1', assetId: bare },
        { itemId: w.items.filter, quantity: '1' },
      ],
    });
    const [event] = await costed(db(), wo.id);
    expect(event?.lines).toEqual([
      expect.objectContaining({ costCenter: `CC-${w.tag}`, labor: '45', parts: '8', amount: '53' }),
      expect.objectContaining({ costCenter: `CC2-${w.tag}`, labor: '0', parts: '30', assetIds: [dryer] }),
    ]);
    expect(event?.unallocated).toEqual([
      expect.objectContaining({ costCenter: null, parts: '20', amount: '20', assetIds: [bare] }),
    ]);

    // The valve moves to the primary asset: cost leaves CC2 entirely and arrives on CC.
    const valveLine = (
      await db()
        .selectFrom('work_order_parts')
        .select('id')
        .where('work_order_id', '=', wo.id)
        .where('item_id', '=', w.items.valve)
        .executeTakeFirstOrThrow()
    ).id;
    await correctWorkOrder(db(), wo.id, {
      reason: 'the valve went into the compressor',
      changes: {
        partsRemove: [valveLine],
        partsAdd: [{ itemId: w.items.valve, quantity: '1', assetId: w.assetId }],
      },
    });
    const [, moved] = await costed(db(), wo.id);
    expect(moved?.lines).toEqual([
      expect.objectContaining({ costCenter: `CC-${w.tag}`, parts: '30', amount: '30', total: '83' }),
      expect.objectContaining({
        costCenter: `CC2-${w.tag}`,
        parts: '-30',
        amount: '-30',
        total: '0',
        assetIds: [],
      }),
    ]);
    expect(moved?.unallocated).toEqual([]);
  });

  it('a work order without assets books its cost as unallocated and announces nothing', async () => {
    const w = await createBillingWorld(db());
    const wo = await completedWorkOrder(db(), w, { completedAt: '2026-03-14T15:20:00Z', assetIds: [] });
    expect(await costed(db(), wo.id)).toEqual([]);
    const rows = await db()
      .selectFrom('work_order_costs')
      .selectAll()
      .where('work_order_id', '=', wo.id)
      .execute();
    expect(rows.map((r) => [r.cost_center, r.labor, r.amount])).toEqual([['', '45', '45']]);
  });

  it('labor and parts trading places on one cost center books the change but announces nothing; a correction is dated the day it is made', async () => {
    const w = await createBillingWorld(db());
    const gasket = await createItem(db(), {
      sku: `GSK-${w.tag}`,
      name: 'Gasket',
      category: 'gaskets',
      listPrice: '30',
      costPrice: '15.00',
    });
    await postReceipt(db(), { itemId: gasket.id, warehouseId: w.vanId, quantity: '10' });
    const wo = await completedWorkOrder(db(), w, {
      completedAt: '2026-03-14T15:20:00Z',
      labor: [{ minutes: 60 }, { minutes: 20 }],
    });
    const short = (
      await db()
        .selectFrom('work_order_labor')
        .select('id')
        .where('work_order_id', '=', wo.id)
        .where('duration_minutes', '=', 20)
        .executeTakeFirstOrThrow()
    ).id;
    // 20 min at 45.00/h = 15.00 of labor out, a 15.00 gasket in: the cost center's cost is unchanged.
    await correctWorkOrder(db(), wo.id, {
      reason: 'the 20 minutes were the gasket, not labor',
      changes: { laborRemove: [short], partsAdd: [{ itemId: gasket.id, quantity: '1' }] },
    });
    expect((await costed(db(), wo.id)).map((e) => e.revision)).toEqual([0]);
    const rows = await db()
      .selectFrom('work_order_costs')
      .selectAll()
      .where('work_order_id', '=', wo.id)
      .orderBy('revision')
      .execute();
    expect(rows.map((r) => [r.revision, r.labor, r.parts, r.amount])).toEqual([
      [0, '60', '0', '60'],
      [1, '-15', '15', '0'],
    ]);

    // A part added later is dated the correction's day, not the completion's (whose period may be closed).
    await correctWorkOrder(db(), wo.id, {
      reason: 'one more',
      changes: { partsAdd: [{ itemId: gasket.id, quantity: '1' }] },
    });
    const [, later] = await costed(db(), wo.id);
    expect(later).toMatchObject({ revision: 2, date: new Date().toISOString().slice(0, 10) });
  });

  it('a costing in two currencies is announced once per currency', async () => {
    const w = await createBillingWorld(db());
    const imported = await createItem(db(), {
      sku: `USD-${w.tag}`,
      name: 'Imported sensor',
      category: 'sensors',
      listPrice: '90',
      costPrice: '40.00',
      currency: 'USD',
    });
    await postReceipt(db(), { itemId: imported.id, warehouseId: w.vanId, quantity: '5' });
    const wo = await completedWorkOrder(db(), w, {
      completedAt: '2026-03-14T15:20:00Z',
      labor: [{ minutes: 60 }],
      parts: [{ itemId: imported.id, quantity: '1' }],
    });
    expect((await costed(db(), wo.id)).map((e) => [e.currency, e.lines])).toEqual([
      [
        'EUR',
        [expect.objectContaining({ costCenter: `CC-${w.tag}`, labor: '45', parts: '0', amount: '45' })],
      ],
      [
        'USD',
        [expect.objectContaining({ costCenter: `CC-${w.tag}`, labor: '0', parts: '40', amount: '40' })],
      ],
    ]);
  });
});

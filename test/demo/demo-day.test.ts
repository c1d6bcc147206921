import { expect, it } from 'vitest';
import { getBillingDocument, listBillingDocuments } from '../../src/modules/billing/index.js';
import { getItemBySku } from '../../src/modules/items/index.js';
import { listSerials, listWarehouses } from '../../src/modules/stock/index.js';
import { getWorkOrder, listWorkOrders } from '../../src/modules/work-orders/index.js';
import { loadDemoCompany, simulateTechnicianDay } from '../../src/demo/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

describeEachEngine('demo day', (handle) => {
  const db = () => handle().db;

  it('without the demo company it says what to do instead of inventing data', async () => {
    await expect(simulateTechnicianDay(db(), { date: '2026-05-04' })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('run "fieldsync start" on a fresh data folder first'),
    });
  });

  it('simulates a technician day through the services, and the same day again adds nothing', async () => {
    await loadDemoCompany(db());
    const day = await simulateTechnicianDay(db(), {
      date: '2026-05-04',
      now: new Date('2026-05-06T12:00:00Z'),
    });
    expect(day.workOrders.map((w) => [w.type, w.technician, w.status, w.alreadyDone])).toEqual([
      ['preventive', 'Anna Novak', 'completed', false],
      ['corrective', 'Anna Novak', 'completed', false],
      ['corrective', 'Bruno Silva', 'completed', false],
      ['installation', 'Bruno Silva', 'completed', false],
    ]);
    const { data } = await listWorkOrders(db(), { status: 'completed' }, { limit: 50 });
    expect(data).toHaveLength(4);
    for (const wo of data) {
      const full = await getWorkOrder(db(), wo.id);
      expect(full.labor.length).toBeGreaterThan(0);
      expect(full.signature).not.toBeNull();
      expect(full.completedAt?.slice(0, 10)).toBe('2026-05-04');
    }
    const preventive = data.find((w) => w.type === 'preventive');
    expect(preventive?.answers.map((a) => a.key).sort()).toEqual([
      'belt_ok',
      'oil_level_ok',
      'pressure_bar',
      'remarks',
    ]);
    expect(preventive?.parts.map((p) => [p.sku, p.quantity])).toEqual([
      ['FILTER-AIR', '2'],
      ['OIL-COMP', '1.5'],
    ]);
    const pump = data.find((w) => w.parts.some((p) => p.sku === 'PUMP-COND'))?.parts[0];
    expect(pump?.serials).toHaveLength(1);

    const documents = (await listBillingDocuments(db(), { status: 'approved' }, { limit: 50 })).data;
    expect(documents).toHaveLength(4);
    for (const wo of day.workOrders) {
      if (!('number' in wo.billing)) throw new Error(`not billed: ${wo.billing.error}`);
      const number = wo.billing.number;
      expect(
        (await getBillingDocument(db(), documents.find((d) => d.number === number)?.id ?? '')).status,
      ).toBe('approved');
    }

    const events = (await readEvents(db(), { limit: 100_000 })).length;
    const again = await simulateTechnicianDay(db(), {
      date: '2026-05-04',
      now: new Date('2026-05-06T12:00:00Z'),
    });
    expect(again.workOrders.map((w) => w.alreadyDone)).toEqual([true, true, true, true]);
    expect(again.workOrders.map((w) => w.number)).toEqual(day.workOrders.map((w) => w.number));
    expect((await readEvents(db(), { limit: 100_000 })).length).toBe(events);
  });

  it('keeps going day after day: vans are refilled from the central warehouse, which buys when empty', async () => {
    const now = new Date('2026-06-30T12:00:00Z');
    for (const date of ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05']) {
      const day = await simulateTechnicianDay(db(), { date, now });
      expect(day.workOrders.every((w) => w.status === 'completed' && !w.alreadyDone)).toBe(true);
    }
    const pump = await getItemBySku(db(), 'PUMP-COND');
    const issued = await listSerials(db(), { itemId: pump?.id ?? '', status: 'issued' }, { limit: 50 });
    expect(issued.data).toHaveLength(6); // one per day, 2026-05-04 included
    const vans = (await listWarehouses(db(), { kind: 'van' }, { limit: 5 })).data;
    expect(vans).toHaveLength(2);
  });

  it('refuses a day in the future and a malformed date', async () => {
    const now = new Date('2026-05-06T12:00:00Z');
    await expect(simulateTechnicianDay(db(), { date: '2026-05-07', now })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(simulateTechnicianDay(db(), { date: '04/05/2026', now })).rejects.toMatchObject({
      code: 'validation',
    });
  });
});

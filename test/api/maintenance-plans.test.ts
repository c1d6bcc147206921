import { expect, it } from 'vitest';
import { createFieldWorld } from '../../src/modules/work-orders/testing/field-fixtures.js';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

async function counts(h: TestHub) {
  const db = h.hub.handle.db;
  const n = async (
    table: 'work_orders' | 'maintenance_plans' | 'maintenance_plan_occurrences' | 'outbox_events',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    workOrders: await n('work_orders'),
    plans: await n('maintenance_plans'),
    occurrences: await n('maintenance_plan_occurrences'),
    events: await n('outbox_events'),
  };
}

describeEachHub('maintenance plans API', (hub) => {
  it('creates a plan, forecasts, generates idempotently and lists the generated work orders', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const created = await h.call('POST', '/v1/maintenance-plans', {
      body: {
        name: 'Bi-weekly filter change',
        scope: 'asset',
        assetId: w.assetId,
        trigger: { kind: 'calendar', every: 2, unit: 'week' },
        startDate: '2025-09-01',
        workOrder: { title: 'Change filters' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const id = String(created.body.id);

    const forecast = await h.call(
      'GET',
      `/v1/maintenance-plans/${id}/forecast?horizonDays=28&asOf=2025-09-01`,
      { token: h.tokens.read },
    );
    expect(forecast.status).toBe(200);
    expect((forecast.body.due as { dueDate: string }[]).map((d) => d.dueDate)).toEqual([
      '2025-09-01',
      '2025-09-15',
      '2025-09-29',
    ]);

    const first = await h.call('POST', '/v1/maintenance-plans/generate', {
      body: { horizonDays: 28, asOf: '2025-09-01', planIds: [id] },
    });
    expect(first.status).toBe(200);
    expect((first.body.created as unknown[]).length).toBe(3);
    const before = await counts(h);
    const second = await h.call('POST', '/v1/maintenance-plans/generate', {
      body: { horizonDays: 28, asOf: '2025-09-01', planIds: [id] },
    });
    expect(second.body).toMatchObject({ created: [], alreadyGenerated: 3 });
    expect(await counts(h)).toEqual(before);

    const listed = await h.call('GET', `/v1/work-orders?planId=${id}`);
    const titles = (listed.body.data as { title: string; type: string; dueDate: string }[]).map((x) => [
      x.title,
      x.type,
      x.dueDate,
    ]);
    expect(titles.sort()).toEqual([
      ['Change filters', 'preventive', '2025-09-01'],
      ['Change filters', 'preventive', '2025-09-15'],
      ['Change filters', 'preventive', '2025-09-29'],
    ]);
    const occurrences = await h.call('GET', `/v1/maintenance-plans/${id}/occurrences`);
    expect((occurrences.body.data as unknown[]).length).toBe(3);

    const paused = await h.call('PATCH', `/v1/maintenance-plans/${id}`, {
      body: { status: 'paused' },
      headers: { 'if-match': '"1"' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
  });

  it('bad input: dates in the wrong order → 400, unknown asset → 422, nothing written', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const before = await counts(h);
    const wrongOrder = await h.call('POST', '/v1/maintenance-plans', {
      body: {
        name: 'x',
        scope: 'asset',
        assetId: w.assetId,
        trigger: { kind: 'calendar', every: 1, unit: 'month' },
        startDate: '2025-06-01',
        endDate: '2025-05-01',
      },
    });
    expect(wrongOrder.status).toBe(400);
    expect(wrongOrder.body.errors).toEqual([
      { path: '/endDate', message: 'endDate must not be before startDate' },
    ]);
    const unknownAsset = await h.call('POST', '/v1/maintenance-plans', {
      body: {
        name: 'x',
        scope: 'asset',
        assetId: 'nope',
        trigger: { kind: 'meter', everyHours: '500' },
        startDate: '2025-06-01',
      },
    });
    expect(unknownAsset.status).toBe(422);
    expect(unknownAsset.body.errors).toEqual([{ path: '/assetId', message: 'asset nope does not exist' }]);
    const badHorizon = await h.call('POST', '/v1/maintenance-plans/generate', { body: { horizonDays: -1 } });
    expect(badHorizon.status).toBe(400);
    expect(await counts(h)).toEqual(before);
  });
});

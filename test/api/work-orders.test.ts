import { expect, it } from 'vitest';
import type { FieldWorld } from '../../src/modules/work-orders/testing/field-fixtures.js';
import { createFieldWorld, TINY_PNG_BASE64 } from '../../src/modules/work-orders/testing/field-fixtures.js';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

const tables = [
  'work_orders',
  'work_order_labor',
  'work_order_parts',
  'work_order_answers',
  'work_order_signatures',
  'stock_movements',
  'outbox_events',
] as const;

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const out: Record<string, number> = {};
  for (const table of tables) {
    out[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  return out;
}

async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const today = () => new Date().toISOString().slice(0, 10);

async function startedOrder(h: TestHub, w: FieldWorld, extra: Record<string, unknown> = {}) {
  const created = await h.call('POST', '/v1/work-orders', {
    body: {
      type: 'corrective',
      title: 'Compressor trips',
      customerId: w.customerId,
      assetIds: [w.assetId],
      contractId: w.contractId,
      ...extra,
    },
  });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  const scheduled = await h.call('POST', `/v1/work-orders/${id}/schedule`, {
    body: { technicianId: w.technicianId, plannedStart: ago(2), plannedEnd: ago(-2) },
  });
  expect(scheduled.status).toBe(200);
  const started = await h.call('POST', `/v1/work-orders/${id}/transitions`, {
    body: { to: 'in_progress', at: ago(1) },
  });
  expect(started.status).toBe(200);
  return id;
}

describeEachHub('work orders API', (hub) => {
  it('happy path end to end over HTTP, with ETags, report, HTML and planning view', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const template = await h.call('POST', '/v1/checklist-templates', {
      body: {
        name: `Service ${w.tag}`,
        items: [
          { key: 'leak_free', label: 'No leaks', kind: 'pass_fail', required: true },
          {
            key: 'oil_temp',
            label: 'Oil temperature',
            kind: 'number',
            min: 20,
            max: 90,
            unit: '°C',
            required: true,
          },
          { key: 'plate', label: 'Type plate photo', kind: 'photo' },
        ],
      },
    });
    expect(template.status).toBe(201);

    const id = await startedOrder(h, w, {
      checklistTemplateId: template.body.id,
      description: '<b>urgent</b> & loud',
    });
    const labor = await h.call('POST', `/v1/work-orders/${id}/labor`, {
      body: { startedAt: ago(1), endedAt: ago(0.25), laborType: 'normal' },
    });
    expect(labor.status).toBe(201);
    expect(labor.headers.get('etag')).toBe(`"${String(labor.body.version)}"`);
    const part = await h.call('POST', `/v1/work-orders/${id}/parts`, {
      body: { itemId: w.items.filter, quantity: '1' },
    });
    expect(part.status).toBe(201);
    const answers = await h.call('POST', `/v1/work-orders/${id}/checklist`, {
      body: {
        answers: [
          { key: 'leak_free', value: 'pass' },
          { key: 'oil_temp', value: 61.5 },
          { key: 'plate', value: 'https://files.example/plate.jpg' },
        ],
      },
    });
    expect(answers.status).toBe(200);

    const report = await h.call('GET', `/v1/work-orders/${id}/report`);
    expect(report.status).toBe(200);
    const reportHash = String(report.body.reportHash);
    expect(reportHash).toMatch(/^[0-9a-f]{64}$/);

    const signed = await h.call('POST', `/v1/work-orders/${id}/signature`, {
      body: { signerName: 'Carla <Customer>', imagePngBase64: TINY_PNG_BASE64, reportHash },
    });
    expect(signed.status).toBe(201);
    const signature = await h.call('GET', `/v1/work-orders/${id}/signature`);
    expect(signature.body).toMatchObject({
      signerName: 'Carla <Customer>',
      imagePngBase64: TINY_PNG_BASE64,
      reportHash,
    });

    const stale = await h.call('POST', `/v1/work-orders/${id}/complete`, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const completed = await h.call('POST', `/v1/work-orders/${id}/complete`, {
      headers: { 'if-match': `"${String(signed.body.version)}"` },
    });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', reportHash });

    const html = await h.call('GET', `/v1/work-orders/${id}/report.html`, { token: h.tokens.read });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.text).toContain('&lt;b&gt;urgent&lt;/b&gt; &amp; loud');
    expect(html.text).toContain('Carla &lt;Customer&gt;');
    expect(html.text).not.toContain('<b>urgent</b>');

    const plan = await h.call('GET', `/v1/planning?date=${today()}&technicianId=${w.technicianId}`, {
      token: h.tokens.read,
    });
    expect(plan.status).toBe(200);
    const technicians = plan.body.technicians as { technicianId: string; workOrders: { id: string }[] }[];
    expect(technicians.map((t) => t.technicianId)).toEqual([w.technicianId]);
    expect(technicians[0]?.workOrders.map((wo) => wo.id)).toContain(id);
    const byRegion = await h.call('GET', `/v1/planning?date=${today()}&region=${w.region}`);
    expect((byRegion.body.technicians as unknown[]).length).toBe(1);

    const corrected = await h.call('POST', `/v1/work-orders/${id}/corrections`, {
      body: {
        reason: 'forgot the travel time',
        changes: { laborAdd: [{ laborType: 'travel', durationMinutes: 25, billable: false }] },
      },
    });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ status: 'completed', revision: 1 });
    expect(corrected.body.reportHash).not.toBe(reportHash);
    const revisions = await h.call('GET', `/v1/work-orders/${id}/corrections`);
    const data = revisions.body.data as {
      revision: number;
      before: { labor: unknown[] };
      beforeReportHash: string;
    }[];
    expect(data.map((r) => [r.revision, r.before.labor.length, r.beforeReportHash])).toEqual([
      [1, 1, reportHash],
    ]);

    // Costs: 45 min then 25 more at 45.00/h; the filter costs 0; the asset has no cost center.
    const costs = await h.call('GET', `/v1/work-orders/${id}/costs`, { token: h.tokens.read });
    expect(costs.status).toBe(200);
    expect(costs.body).toMatchObject({
      workOrderId: id,
      totals: [{ costCenter: null, currency: 'EUR', labor: '52.5', parts: '0', total: '52.5' }],
      bookings: [
        { revision: 0, costCenter: null, labor: '33.75', amount: '33.75', assetIds: [w.assetId] },
        { revision: 1, costCenter: null, labor: '18.75', amount: '18.75', assetIds: [w.assetId] },
      ],
    });
    expect((await h.call('GET', '/v1/work-orders/nope/costs')).status).toBe(404);

    const closed = await h.call('POST', `/v1/work-orders/${id}/transitions`, { body: { to: 'closed' } });
    expect(closed.body.status).toBe('closed');
    const listed = await h.call('GET', `/v1/work-orders?customerId=${w.customerId}&status=closed`);
    expect((listed.body.data as { id: string }[]).map((x) => x.id)).toEqual([id]);
  });

  it('bad input: illegal transition → 409 problem with allowedTransitions, nothing written', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const created = await h.call('POST', '/v1/work-orders', {
      body: { type: 'inspection', title: 'x', customerId: w.customerId },
    });
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/work-orders/${String(created.body.id)}/transitions`, {
        body: { to: 'completed' },
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.allowedTransitions).toEqual(['scheduled', 'cancelled']);
    });
  });

  it('bad input: parts beyond van stock → 409 with available, nothing posted', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db, { vanStock: 2 });
    const id = await startedOrder(h, w);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/work-orders/${id}/parts`, {
        body: { itemId: w.items.oil, quantity: '2.001' },
      });
      expect(res.status).toBe(409);
      expect(res.body.available).toBe('2');
    });
  });

  it('bad input: checklist answer out of limits → 422 naming key and limits, nothing written', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const template = await h.call('POST', '/v1/checklist-templates', {
      body: {
        name: `T ${w.tag}`,
        items: [
          { key: 'volts', label: 'Voltage', kind: 'number', min: 220, max: 240, unit: 'V', required: true },
        ],
      },
    });
    const id = await startedOrder(h, w, { checklistTemplateId: template.body.id });
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/work-orders/${id}/checklist`, {
        body: { answers: [{ key: 'volts', value: 250 }] },
      });
      expect(res.status).toBe(422);
      expect(res.body.outOfLimits).toEqual([{ key: 'volts', value: 250, min: 220, max: 240, unit: 'V' }]);
      expect(res.body.errors).toEqual([
        { path: '/answers/0/value', message: 'volts must be within [220, 240] V, got 250' },
      ]);
    });
  });

  it('bad input: completion without required answers → 422 listing them, nothing written', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const template = await h.call('POST', '/v1/checklist-templates', {
      body: {
        name: `T ${w.tag}`,
        items: [{ key: 'safe', label: 'Left safe', kind: 'pass_fail', required: true }],
      },
    });
    const id = await startedOrder(h, w, { checklistTemplateId: template.body.id });
    await h.call('POST', `/v1/work-orders/${id}/labor`, { body: { durationMinutes: 30 } });
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/work-orders/${id}/complete`);
      expect(res.status).toBe(422);
      expect(res.body.missingAnswers).toEqual(['safe']);
      expect(res.body.signatureMissing).toBe(true);
      expect((res.body.errors ?? []).map((e) => e.path)).toEqual(['/checklist/safe', '/signature']);
    });
  });

  it('bad input: signature over a report that changed afterwards → 409, nothing written', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const id = await startedOrder(h, w);
    const before = String((await h.call('GET', `/v1/work-orders/${id}/report`)).body.reportHash);
    await h.call('POST', `/v1/work-orders/${id}/labor`, { body: { durationMinutes: 30 } });
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/work-orders/${id}/signature`, {
        body: { signerName: 'C', imagePngBase64: TINY_PNG_BASE64, reportHash: before },
      });
      expect(res.status).toBe(409);
      expect(res.body.signedReportHash).toBe(before);
      expect(res.body.currentReportHash).not.toBe(before);
    });
  });

  it('bad input: dates in the wrong order → 400 naming the field, nothing written', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    const id = await startedOrder(h, w);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/work-orders/${id}/labor`, {
        body: { startedAt: ago(1), endedAt: ago(1) },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: '/endedAt', message: 'endedAt must be after startedAt' }]);
      const schedule = await h.call('POST', `/v1/work-orders/${id}/schedule`, {
        body: { technicianId: w.technicianId, plannedStart: ago(1), plannedEnd: ago(3) },
      });
      expect(schedule.status).toBe(400);
    });
  });

  it('bad input: unknown fields and scopes are refused before anything runs', async () => {
    const h = hub();
    const w = await createFieldWorld(h.hub.handle.db);
    await expectNothingWritten(h, async () => {
      const unknown = await h.call('POST', '/v1/work-orders', {
        body: { type: 'corrective', title: 'x', customerId: w.customerId, colour: 'red' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ path: '/colour', message: 'unknown field' }]);
      const reader = await h.call('POST', '/v1/work-orders', {
        body: { type: 'corrective', title: 'x', customerId: w.customerId },
        token: h.tokens.read,
      });
      expect(reader.status).toBe(403);
    });
  });

  it('documents every work-order, checklist, planning and maintenance-plan route in the OpenAPI document', async () => {
    const res = await hub().call('GET', '/openapi.json', { token: null });
    const paths = Object.keys(res.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/work-orders',
        '/v1/work-orders/{id}/transitions',
        '/v1/work-orders/{id}/parts/{partId}',
        '/v1/work-orders/{id}/report.html',
        '/v1/checklist-templates',
        '/v1/work-order-types/{type}',
        '/v1/planning',
        '/v1/maintenance-plans/generate',
        '/v1/maintenance-plans/{id}/forecast',
      ]),
    );
    const schemas = (res.body.components as { schemas: Record<string, { additionalProperties?: unknown }> })
      .schemas;
    expect(schemas.WorkOrderCreate?.additionalProperties).toBe(false);
    expect(schemas.LaborInput?.additionalProperties).toBe(false);
  });
});

import { expect, it } from 'vitest';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;
const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const out: Record<string, number> = {};
  for (const table of [
    'assets',
    'asset_moves',
    'asset_status_changes',
    'asset_meter_readings',
    'outbox_events',
  ] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Every refused request must leave the store exactly as it was. */
async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

async function world(h: TestHub) {
  const customer = await h.call('POST', '/v1/customers', {
    body: { name: uniq('Acme'), sites: [site('A'), site('B')] },
  });
  const other = await h.call('POST', '/v1/customers', { body: { name: uniq('Other'), sites: [site('X')] } });
  const item = await h.call('POST', '/v1/items', {
    body: { sku: uniq('CHL'), name: 'Chiller', category: 'chillers', listPrice: '15000' },
  });
  expect([customer.status, other.status, item.status]).toEqual([201, 201, 201]);
  const sites = customer.body.sites as { id: string }[];
  const otherSites = other.body.sites as { id: string }[];
  return {
    customerId: String(customer.body.id),
    siteA: String(sites[0]?.id),
    siteB: String(sites[1]?.id),
    otherSite: String(otherSites[0]?.id),
    itemId: String(item.body.id),
  };
}

async function register(
  h: TestHub,
  w: Awaited<ReturnType<typeof world>>,
  extra: Record<string, unknown> = {},
) {
  const res = await h.call('POST', '/v1/assets', {
    body: {
      serialNumber: uniq('SN'),
      itemId: w.itemId,
      customerId: w.customerId,
      siteId: w.siteA,
      installDate: '2024-01-10',
      ...extra,
    },
    token: h.tokens.write,
  });
  expect(res.status).toBe(201);
  return res;
}

describeEachHub('assets API', (hub) => {
  it('walks the lifecycle over HTTP: register, transition, move, meter readings, history, warranty, dispose', async () => {
    const h = hub();
    const w = await world(h);
    const created = await register(h, w, {
      warrantyPartsUntil: '2026-01-09',
      warrantyLaborUntil: '2025-01-09',
    });
    const id = String(created.body.id);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/v1/assets/${id}`);

    const running = await h.call('POST', `/v1/assets/${id}/transition`, {
      body: { to: 'in_service', effectiveDate: '2024-01-11' },
      headers: { 'if-match': '"1"' },
    });
    expect(running.status).toBe(200);
    expect(running.body.status).toBe('in_service');

    const moved = await h.call('POST', `/v1/assets/${id}/move`, {
      body: { siteId: w.siteB, movedAt: '2024-03-01T10:00:00Z', reason: 'new hall' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.asset).toMatchObject({ siteId: w.siteB, status: 'moved' });
    expect(moved.body.moves).toHaveLength(1);

    const reading = await h.call('POST', `/v1/assets/${id}/meter-readings`, {
      body: { readingAt: '2024-03-02T10:00:00Z', value: '42.5', source: 'technician' },
    });
    expect(reading.status).toBe(201);
    expect(reading.body).toMatchObject({ value: '42.5', meterReplaced: false });
    const readings = await h.call('GET', `/v1/assets/${id}/meter-readings?limit=10`, {
      token: h.tokens.read,
    });
    expect((readings.body.data as unknown[]).length).toBe(1);

    const history = await h.call('GET', `/v1/assets/${id}/history`, { token: h.tokens.read });
    expect((history.body.entries as { kind: string }[]).map((e) => e.kind)).toEqual([
      'status_change',
      'status_change',
      'move',
      'status_change',
      'meter_reading',
    ]);

    const warranty = await h.call('GET', `/v1/assets/${id}/warranty?date=2025-06-01`, {
      token: h.tokens.read,
    });
    expect(warranty.body).toEqual({
      partsCovered: true,
      laborCovered: false,
      partsUntil: '2026-01-09',
      laborUntil: '2025-01-09',
    });

    const list = await h.call('GET', `/v1/assets?customerId=${w.customerId}&status=moved`, {
      token: h.tokens.read,
    });
    expect((list.body.data as { id: string }[]).map((a) => a.id)).toEqual([id]);

    const disposed = await h.call('POST', `/v1/assets/${id}/dispose`, {
      body: { disposalDate: '2024-12-31', disposalReason: 'replaced' },
    });
    expect(disposed.status).toBe(200);
    expect(disposed.body).toMatchObject({ status: 'disposed', disposalDate: '2024-12-31' });

    const types = (await h.call('GET', `/v1/assets/${id}`)).status;
    expect(types).toBe(200);
  });

  it('bad input: moving a disposed asset → 409 problem naming no allowed transitions, nothing written', async () => {
    const h = hub();
    const w = await world(h);
    const id = String((await register(h, w)).body.id);
    expect(
      (
        await h.call('POST', `/v1/assets/${id}/dispose`, {
          body: { disposalDate: '2024-02-01', disposalReason: 'broken' },
        })
      ).status,
    ).toBe(200);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/assets/${id}/move`, {
        body: { siteId: w.siteB, reason: 'oops' },
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'conflict', currentStatus: 'disposed', allowedTransitions: [] });
    });
  });

  it('bad input: an illegal transition → 409 with allowedTransitions, nothing written', async () => {
    const h = hub();
    const w = await world(h);
    const id = String((await register(h, w, { installDate: undefined, purchaseRef: 'PO-77' })).body.id);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/assets/${id}/transition`, { body: { to: 'in_service' } });
      expect(res.status).toBe(409);
      expect(res.body.allowedTransitions).toEqual(['installed', 'disposed']);
    });
  });

  it('bad input: warranty end before install date → 400 listing both paths, nothing written', async () => {
    const h = hub();
    const w = await world(h);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', '/v1/assets', {
        body: {
          serialNumber: uniq('SN'),
          itemId: w.itemId,
          customerId: w.customerId,
          siteId: w.siteA,
          installDate: '2024-05-01',
          warrantyPartsUntil: '2024-04-01',
          warrantyLaborUntil: '2024-04-30',
        },
      });
      expect(res.status).toBe(400);
      expect((res.body.errors ?? []).map((e) => e.path).sort()).toEqual([
        '/warrantyLaborUntil',
        '/warrantyPartsUntil',
      ]);
    });
  });

  it('bad input: a site of another customer → 422; unknown fields and a lower meter reading are refused', async () => {
    const h = hub();
    const w = await world(h);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', '/v1/assets', {
        body: { serialNumber: uniq('SN'), itemId: w.itemId, customerId: w.customerId, siteId: w.otherSite },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors?.[0]?.path).toBe('/siteId');
    });
    const id = String((await register(h, w)).body.id);
    await expectNothingWritten(h, async () => {
      const res = await h.call('PATCH', `/v1/assets/${id}`, { body: { siteId: w.siteB, colour: 'red' } });
      expect(res.status).toBe(400);
      expect((res.body.errors ?? []).map((e) => e.path).sort()).toEqual(['/colour', '/siteId']);
    });
    expect(
      (
        await h.call('POST', `/v1/assets/${id}/meter-readings`, {
          body: { readingAt: '2024-02-01T00:00:00Z', value: '100' },
        })
      ).status,
    ).toBe(201);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/assets/${id}/meter-readings`, {
        body: { readingAt: '2024-02-02T00:00:00Z', value: '99.9' },
      });
      expect(res.status).toBe(409);
      expect(res.body.previousValue).toBe('100');
    });
  });

  it('bad input: stale If-Match → 412; read token cannot write → 403; unknown asset → 404', async () => {
    const h = hub();
    const w = await world(h);
    const id = String((await register(h, w)).body.id);
    await expectNothingWritten(h, async () => {
      const stale = await h.call('PATCH', `/v1/assets/${id}`, {
        body: { name: 'x' },
        headers: { 'if-match': '"9"' },
      });
      expect(stale.status).toBe(412);
      const forbidden = await h.call('POST', `/v1/assets/${id}/move`, {
        body: { siteId: w.siteB, reason: 'x' },
        token: h.tokens.read,
      });
      expect(forbidden.status).toBe(403);
    });
    expect((await h.call('GET', '/v1/assets/nope')).status).toBe(404);
  });

  it('documents every assets route in the OpenAPI document', async () => {
    const res = await hub().call('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths as Record<string, unknown>).filter((p) =>
      p.startsWith('/v1/assets'),
    );
    expect(paths.sort()).toEqual(
      [
        '',
        '/{id}',
        '/{id}/transition',
        '/{id}/move',
        '/{id}/dispose',
        '/{id}/meter-readings',
        '/{id}/history',
        '/{id}/warranty',
      ]
        .map((p) => `/v1/assets${p}`)
        .sort(),
    );
  });
});

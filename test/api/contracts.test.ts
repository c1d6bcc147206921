import { expect, it } from 'vitest';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;
const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const out: Record<string, number> = {};
  const tables = [
    'contracts',
    'contract_versions',
    'contract_coverage_links',
    'price_lists',
    'price_list_lines',
    'outbox_events',
  ] as const;
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

async function world(h: TestHub, currency = 'EUR') {
  const customer = await h.call('POST', '/v1/customers', {
    body: { name: uniq('Acme'), currency, sites: [site('A')] },
  });
  const item = await h.call('POST', '/v1/items', {
    body: { sku: uniq('BLR'), name: 'Boiler', category: 'boilers', listPrice: '4000', currency },
  });
  const customerId = String(customer.body.id);
  const siteId = String((customer.body.sites as { id: string }[])[0]?.id);
  const asset = await h.call('POST', '/v1/assets', {
    body: { serialNumber: uniq('SN'), itemId: item.body.id, customerId, siteId },
  });
  expect([customer.status, item.status, asset.status]).toEqual([201, 201, 201]);
  return { customerId, siteId, itemId: String(item.body.id), assetId: String(asset.body.id) };
}

const terms = {
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  coverage: {
    corrective: { laborCoveredPct: '50', partsCoveredPct: '100', excludedCategories: ['consumables'] },
  },
  caps: [{ kind: 'labor', amount: '3000', period: 'quarter' }],
  discounts: { partsPct: '7.5' },
  sla: { responseHours: 4, resolutionHours: 24 },
  recurringFee: { amount: '99.90', period: 'monthly' },
};

describeEachHub('contracts API', (hub) => {
  it('creates, versions, activates, looks up in force and by coverage, and terminates over HTTP', async () => {
    const h = hub();
    const w = await world(h);
    const created = await h.call('POST', '/v1/contracts', {
      body: {
        number: uniq('C'),
        customerId: w.customerId,
        title: 'Boiler care',
        initialVersion: { ...terms, coveredAssetIds: [w.assetId] },
      },
      token: h.tokens.write,
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect(created.body).toMatchObject({ status: 'draft', currency: 'EUR', startDate: '2025-01-01' });

    const v2 = await h.call('POST', `/v1/contracts/${id}/versions`, {
      body: { validFrom: '2026-01-01', coveredSiteIds: [w.siteId] },
    });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ versionNo: 2, validTo: null, coveredSiteIds: [w.siteId] });

    const draftLookup = await h.call('GET', `/v1/contracts/${id}/in-force?date=2025-03-01`, {
      token: h.tokens.read,
    });
    expect(draftLookup.body).toEqual({ contractId: id, date: '2025-03-01', version: null });

    expect((await h.call('POST', `/v1/contracts/${id}/activate`)).body.status).toBe('active');
    const inForce = await h.call('GET', `/v1/contracts/${id}/in-force?date=2025-03-01`, {
      token: h.tokens.read,
    });
    expect(inForce.body.version).toMatchObject({
      versionNo: 1,
      sla: { responseHours: 4, resolutionHours: 24, byPriority: {} },
    });

    const covering = await h.call(
      'GET',
      `/v1/contracts/covering?customerId=${w.customerId}&assetId=${w.assetId}&date=2026-02-01`,
      { token: h.tokens.read },
    );
    expect(covering.status).toBe(200);
    expect(
      (covering.body.data as { matchedBy: string; version: { versionNo: number } }[]).map((c) => [
        c.matchedBy,
        c.version.versionNo,
      ]),
    ).toEqual([['site', 2]]);

    const terminated = await h.call('POST', `/v1/contracts/${id}/terminate`, {
      body: { terminatedOn: '2026-06-30', reason: 'site sold' },
    });
    expect(terminated.status).toBe(200);
    expect(terminated.body).toMatchObject({ status: 'terminated', endDate: '2026-06-30' });
    const after = await h.call('GET', `/v1/contracts/${id}/in-force?date=2026-07-01`);
    expect(after.body.version).toBeNull();

    const list = await h.call('GET', `/v1/contracts?customerId=${w.customerId}`, { token: h.tokens.read });
    expect((list.body.data as { id: string }[]).map((c) => c.id)).toEqual([id]);
  });

  it('bad input: overlapping contract versions → 409 problem naming the overlapping version, nothing written', async () => {
    const h = hub();
    const w = await world(h);
    const created = await h.call('POST', '/v1/contracts', {
      body: { number: uniq('C'), customerId: w.customerId, initialVersion: terms },
    });
    const id = String(created.body.id);
    const v1 = (created.body.versions as { id: string }[])[0];
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/contracts/${id}/versions`, {
        body: { validFrom: '2025-12-01', coveredAssetIds: [w.assetId] },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'conflict',
        overlappingVersionId: v1?.id,
        overlappingVersionNo: 1,
      });
      expect(String(res.body.detail)).toContain('version 1');
    });
  });

  it('bad input: validity to before from → 400 naming the path, nothing written', async () => {
    const h = hub();
    const w = await world(h);
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', '/v1/contracts', {
        body: {
          number: uniq('C'),
          customerId: w.customerId,
          initialVersion: { validFrom: '2025-03-01', validTo: '2025-02-28' },
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.path)).toEqual(['/initialVersion/validTo']);
    });
  });

  it('bad input: percentages out of range and unknown fields → 400 listing every path', async () => {
    const h = hub();
    const w = await world(h);
    const id = String(
      (await h.call('POST', '/v1/contracts', { body: { number: uniq('C'), customerId: w.customerId } })).body
        .id,
    );
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/contracts/${id}/versions`, {
        body: {
          validFrom: '2025-01-01',
          coverage: { corrective: { laborCoveredPct: '101', partsCoveredPct: 'lots' } },
          colour: 'red',
        },
      });
      expect(res.status).toBe(400);
      expect((res.body.errors ?? []).map((e) => e.path).sort()).toEqual(
        ['/colour', '/coverage/corrective/laborCoveredPct', '/coverage/corrective/partsCoveredPct'].sort(),
      );
    });
  });

  it('bad input: terminating before the start → 400, terminating twice → 409, duplicate number → 409; nothing written', async () => {
    const h = hub();
    const w = await world(h);
    const number = uniq('C');
    const id = String(
      (
        await h.call('POST', '/v1/contracts', {
          body: { number, customerId: w.customerId, initialVersion: terms },
        })
      ).body.id,
    );
    await expectNothingWritten(h, async () => {
      const early = await h.call('POST', `/v1/contracts/${id}/terminate`, {
        body: { terminatedOn: '2024-12-31', reason: 'x' },
      });
      expect(early.status).toBe(400);
      const dup = await h.call('POST', '/v1/contracts', { body: { number, customerId: w.customerId } });
      expect(dup.status).toBe(409);
      expect(dup.body.conflictingId).toBe(id);
    });
    expect(
      (
        await h.call('POST', `/v1/contracts/${id}/terminate`, {
          body: { terminatedOn: '2025-06-30', reason: 'x' },
        })
      ).status,
    ).toBe(200);
    await expectNothingWritten(h, async () => {
      expect(
        (
          await h.call('POST', `/v1/contracts/${id}/terminate`, {
            body: { terminatedOn: '2025-06-30', reason: 'x' },
          })
        ).status,
      ).toBe(409);
    });
  });

  it('price lists over HTTP: create, patch with If-Match, resolve; overlapping default lists → 409', async () => {
    const h = hub();
    const w = await world(h, 'CHF');
    const std = await h.call('POST', '/v1/price-lists', {
      body: {
        name: 'CHF standard',
        currency: 'CHF',
        isDefault: true,
        laborRates: { normal: '95' },
        items: { [w.itemId]: '4100' },
      },
    });
    expect(std.status).toBe(201);
    const own = await h.call('POST', '/v1/price-lists', {
      body: { name: 'Acme CHF', currency: 'CHF', customerId: w.customerId, laborRates: { normal: '90' } },
    });
    expect(own.status).toBe(201);
    const patched = await h.call('PATCH', `/v1/price-lists/${String(own.body.id)}`, {
      body: { laborRates: { overtime: '130' } },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.laborRates).toEqual({ normal: '90.00', overtime: '130.00' });
    expect(patched.headers.get('etag')).toBe('"2"');
    const resolved = await h.call(
      'GET',
      `/v1/price-lists/resolve?customerId=${w.customerId}&date=2025-05-05`,
      { token: h.tokens.read },
    );
    expect(resolved.status).toBe(200);
    expect([
      (resolved.body.customerList as { id: string }).id,
      (resolved.body.defaultList as { id: string }).id,
    ]).toEqual([own.body.id, std.body.id]);
    await expectNothingWritten(h, async () => {
      const clash = await h.call('POST', '/v1/price-lists', {
        body: { name: 'second default', currency: 'CHF', isDefault: true },
      });
      expect(clash.status).toBe(409);
      expect(clash.body.conflictingId).toBe(std.body.id);
    });
    const listed = await h.call('GET', '/v1/price-lists?isDefault=true&currency=CHF', {
      token: h.tokens.read,
    });
    expect((listed.body.data as { id: string }[]).map((l) => l.id)).toEqual([std.body.id]);
  });

  it('documents every contracts and price-list route in the OpenAPI document', async () => {
    const res = await hub().call('GET', '/openapi.json', { token: null });
    const paths = Object.keys(res.body.paths as Record<string, unknown>).filter((p) =>
      /^\/v1\/(contracts|price-lists)/.test(p),
    );
    expect(paths.sort()).toEqual(
      [
        '/v1/contracts',
        '/v1/contracts/covering',
        '/v1/contracts/{id}',
        '/v1/contracts/{id}/versions',
        '/v1/contracts/{id}/in-force',
        '/v1/contracts/{id}/activate',
        '/v1/contracts/{id}/terminate',
        '/v1/price-lists',
        '/v1/price-lists/resolve',
        '/v1/price-lists/{id}',
      ].sort(),
    );
  });
});

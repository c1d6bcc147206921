import { expect, it } from 'vitest';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const count = async (table: 'customers' | 'items' | 'outbox_events' | 'customer_sites') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    customers: await count('customers'),
    sites: await count('customer_sites'),
    items: await count('items'),
    events: await count('outbox_events'),
  };
}

/** Every bad request must leave the store exactly as it was. */
async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

const validCustomer = {
  name: 'Valid Co',
  sites: [{ name: 'HQ', line1: 'Main 1', city: 'Gent', country: 'BE' }],
};

describeEachHub('API bad input', (hub) => {
  it('malformed JSON → 400 problem+json', async () => {
    await expectNothingWritten(hub(), async () => {
      const res = await hub().call('POST', '/v1/customers', {
        rawBody: '{"name": "x",',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('validation');
      expect(String(res.body.detail)).toMatch(/malformed json/i);
    });
  });

  it('unknown fields, wrong types and missing required fields → 400 listing every path', async () => {
    await expectNothingWritten(hub(), async () => {
      const res = await hub().call('POST', '/v1/customers', {
        body: {
          legalName: 42,
          colour: 'red',
          sites: [{ name: 'HQ', city: 'Gent', country: 'Belgium', extra: true }],
        },
      });
      expect(res.status).toBe(400);
      const paths = (res.body.errors ?? []).map((e) => e.path).sort();
      expect(paths).toEqual(
        ['/colour', '/legalName', '/name', '/sites/0/country', '/sites/0/extra', '/sites/0/line1'].sort(),
      );
    });
  });

  it('no token → 401, unknown token → 401', async () => {
    await expectNothingWritten(hub(), async () => {
      const none = await hub().call('POST', '/v1/customers', { body: validCustomer, token: null });
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('unauthorized');
      const bad = await hub().call('GET', '/v1/customers', { token: 'fst_not-a-real-token' });
      expect(bad.status).toBe(401);
    });
  });

  it('wrong scope → 403 naming the scope', async () => {
    await expectNothingWritten(hub(), async () => {
      const res = await hub().call('POST', '/v1/customers', {
        body: validCustomer,
        token: hub().tokens.read,
      });
      expect(res.status).toBe(403);
      expect(res.body.requiredScope).toBe('write');
    });
    const read = await hub().call('GET', '/v1/customers', { token: hub().tokens.read });
    expect(read.status).toBe(200);
  });

  it('stale If-Match → 412 and the record is unchanged', async () => {
    const created = await hub().call('POST', '/v1/customers', {
      body: validCustomer,
      token: hub().tokens.write,
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const first = await hub().call('PATCH', `/v1/customers/${id}`, {
      body: { name: 'Renamed' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    await expectNothingWritten(hub(), async () => {
      const stale = await hub().call('PATCH', `/v1/customers/${id}`, {
        body: { name: 'Lost update' },
        headers: { 'if-match': '"1"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body.currentVersion).toBe(2);
    });
    const now = await hub().call('GET', `/v1/customers/${id}`);
    expect(now.body.name).toBe('Renamed');
  });

  it('duplicate SKU → 409 naming the conflicting record', async () => {
    const first = await hub().call('POST', '/v1/items', {
      body: { sku: 'DUP-1', name: 'Filter', category: 'filters', listPrice: '12.50' },
    });
    expect(first.status).toBe(201);
    await expectNothingWritten(hub(), async () => {
      const dup = await hub().call('POST', '/v1/items', {
        body: { sku: 'DUP-1', name: 'Other', category: 'filters', listPrice: '1' },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.conflictingId).toBe(first.body.id);
      expect(String(dup.body.detail)).toContain('DUP-1');
    });
  });

  it('oversize body → 413', async () => {
    await expectNothingWritten(hub(), async () => {
      const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
      const res = await hub().call('POST', '/v1/customers', {
        rawBody: huge,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('payload_too_large');
    });
  });

  it('a body that is not JSON → 415', async () => {
    await expectNothingWritten(hub(), async () => {
      const res = await hub().call('POST', '/v1/customers', {
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(415);
    });
  });

  it('malformed cursor and If-Match → 400', async () => {
    expect((await hub().call('GET', '/v1/customers?cursor=%%%')).status).toBe(400);
    const created = await hub().call('POST', '/v1/customers', { body: validCustomer });
    const res = await hub().call('PATCH', `/v1/customers/${String(created.body.id)}`, {
      body: { name: 'x' },
      headers: { 'if-match': 'v1' },
    });
    expect(res.status).toBe(400);
  });

  it('unknown record → 404 problem', async () => {
    const res = await hub().call('GET', '/v1/items/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

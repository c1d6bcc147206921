import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireOpResult, WireRecord } from './test-erp-api.js';
import { startTestErp } from './test-erp-server.js';
import type { TestErp } from './test-erp-server.js';

let erp: TestErp;
beforeEach(async () => {
  erp = await startTestErp({ requiredFields: { customer: ['name'] } });
});
afterEach(async () => {
  await erp.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = erp.token,
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(`${erp.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

const batch = async (ops: unknown[]): Promise<WireOpResult[]> =>
  ((await call('POST', '/api/entities/customer/batch', { ops })).json as { results: WireOpResult[] }).results;

describe('test ERP server', () => {
  it('rejects a missing or wrong token with 401 and records the request without the token', async () => {
    const { status } = await call('GET', '/api/health', undefined, 'nope');
    expect(status).toBe(401);
    const [entry] = erp.requests();
    expect(entry).toMatchObject({ method: 'GET', path: '/api/health', status: 401 });
    expect(JSON.stringify(erp.requests())).not.toContain('nope');
  });

  it('applies each idempotency key once, even when the same op arrives concurrently', async () => {
    const op = { idempotencyKey: 'k-1', op: 'create', data: { name: 'Acme' } };
    const all = await Promise.all(Array.from({ length: 10 }, () => batch([op])));
    const ids = new Set(all.map((r) => r[0]?.id));
    expect(ids.size).toBe(1);
    expect(all.filter((r) => r[0]?.replayed === true)).toHaveLength(9);
    expect(erp.store.all('customer')).toHaveLength(1);
    expect(erp.store.effects.get('customer')).toBe(1);
    expect(erp.requests({ method: 'POST' }).flatMap((r) => r.idempotencyKeys)).toEqual(Array(10).fill('k-1'));
  });

  it('refuses a reused key with a different payload (409) and does not remember failures', async () => {
    await batch([{ idempotencyKey: 'k-2', op: 'create', data: { name: 'A' } }]);
    const [reused] = await batch([{ idempotencyKey: 'k-2', op: 'create', data: { name: 'B' } }]);
    expect(reused).toMatchObject({ ok: false, status: 409, error: { code: 'idempotency_key_reused' } });
    const [invalid] = await batch([{ idempotencyKey: 'k-3', op: 'create', data: {} }]);
    expect(invalid).toMatchObject({ ok: false, status: 400, error: { code: 'validation' } });
    // After the cause is fixed on the ERP side, a replay with the same key must execute.
    const [retried] = await batch([{ idempotencyKey: 'k-3', op: 'create', data: {} }]);
    expect(retried?.status).toBe(400);
  });

  it('answers per op: one poison op fails, the others in the batch are applied', async () => {
    erp.faults.rejectOps((_entity, op) => (op.data as { name?: string }).name === 'poison', 'poison record');
    const results = await batch([
      { idempotencyKey: 'a', op: 'create', data: { name: 'good 1' } },
      { idempotencyKey: 'b', op: 'create', data: { name: 'poison' } },
      { idempotencyKey: 'c', op: 'create', data: { name: 'good 2' } },
    ]);
    expect(results.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['a', 201],
      ['b', 400],
      ['c', 201],
    ]);
    expect(results[1]?.error?.message).toBe('poison record');
    expect(erp.store.all('customer').map((r) => r.data.name)).toEqual(['good 1', 'good 2']);
  });

  it('looks up by reference and refuses a second create with the same reference', async () => {
    const [created] = await batch([{ op: 'create', reference: 'WO-1', data: { name: 'X' } }]);
    const found = (await call('GET', '/api/entities/customer?reference=WO-1')).json as {
      records: WireRecord[];
    };
    expect(found.records.map((r) => r.id)).toEqual([created?.id]);
    const [again] = await batch([{ op: 'create', reference: 'WO-1', data: { name: 'X' } }]);
    expect(again).toMatchObject({
      status: 409,
      error: { code: 'duplicate_reference', details: { id: created?.id } },
    });
  });

  it('updates, upserts by reference and deletes; a missing id is 404', async () => {
    const [created] = await batch([{ op: 'create', reference: 'R', data: { name: 'A', city: 'Graz' } }]);
    const id = created?.id as string;
    await batch([{ op: 'update', id, data: { name: 'B' } }]);
    expect(erp.store.get('customer', id)?.data).toEqual({ name: 'B', city: 'Graz' });
    await batch([{ op: 'upsert', reference: 'R', data: { city: 'Linz' } }]);
    expect(erp.store.get('customer', id)?.data).toEqual({ name: 'B', city: 'Linz' });
    expect((await batch([{ op: 'delete', id }]))[0]?.status).toBe(200);
    expect((await batch([{ op: 'delete', id }]))[0]?.status).toBe(404);
    expect((await call('GET', `/api/entities/customer/${id}`)).status).toBe(404);
  });

  it('lists in (modifiedAt, id) order with a strict keyset, even for records seeded out of order', async () => {
    erp.store.seed('customer', [
      { modifiedAt: '2024-01-01T00:00:02.000Z', data: { name: 'c' } },
      { modifiedAt: '2024-01-01T00:00:01.000Z', data: { name: 'a' } },
      { modifiedAt: '2024-01-01T00:00:01.000Z', data: { name: 'b' } },
    ]);
    const first = (await call('GET', '/api/entities/customer?limit=2')).json as {
      records: WireRecord[];
      hasMore: boolean;
    };
    expect(first.records.map((r) => r.data.name)).toEqual(['a', 'b']);
    expect(first.hasMore).toBe(true);
    const last = first.records[1] as WireRecord;
    const query = new URLSearchParams({ limit: '2', afterModifiedAt: last.modifiedAt, afterId: last.id });
    const second = (await call('GET', `/api/entities/customer?${query}`)).json as {
      records: WireRecord[];
      hasMore: boolean;
    };
    expect(second.records.map((r) => r.data.name)).toEqual(['c']);
    expect(second.hasMore).toBe(false);
  });

  it('fails the next N matching requests as told, with Retry-After on 429, then recovers', async () => {
    erp.faults.failNext(2, { kind: 'rate_limited', retryAfterSeconds: 7 }, (r) =>
      r.path.startsWith('/api/entities'),
    );
    expect((await call('GET', '/api/health')).status).toBe(200);
    const limited = await call('GET', '/api/entities/customer');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await call('GET', '/api/entities/customer')).status).toBe(429);
    expect(erp.faults.pendingFailures).toBe(0);
    expect((await call('GET', '/api/entities/customer')).status).toBe(200);
    expect(erp.requests().map((r) => r.fault ?? r.status)).toEqual([
      200,
      'rate_limited',
      'rate_limited',
      200,
    ]);
  });

  it('holds a reply back after applying the work when told (the effect lands, the answer is late)', async () => {
    erp.faults.setReplyDelay(300, (r) => r.method === 'POST');
    const started = Date.now();
    const pending = batch([{ idempotencyKey: 'late-1', op: 'create', data: { name: 'Late' } }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(erp.store.all('customer')).toHaveLength(1);
    expect(erp.requests({ method: 'POST' })[0]?.status).toBe(200);
    const [result] = await pending;
    expect(result?.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await call('GET', '/api/health')).status).toBe(200);
    erp.faults.clear();
    expect(erp.faults.replyDelayFor({ method: 'POST', path: '/' })).toBe(0);
    expect(() => erp.faults.setReplyDelay(60_001)).toThrow(RangeError);
  });

  it('rejects bodies over 4 MB with 413 and unknown entities with 404', async () => {
    const big = await call('POST', '/api/entities/customer/batch', {
      ops: [],
      pad: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    expect((await call('GET', '/api/entities/planet')).status).toBe(404);
  });

  it('rejects malformed cursors as cursor_invalid', async () => {
    const bad = await call('GET', '/api/entities/customer?afterModifiedAt=yesterday&afterId=x');
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'cursor_invalid' } } });
  });
});

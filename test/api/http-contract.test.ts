import { expect, it } from 'vitest';
import { describeEachHub } from '../support/test-hub.js';

describeEachHub('HTTP contract', (hub) => {
  it('replays the same response for the same Idempotency-Key and body', async () => {
    const body = { sku: 'IDEM-1', name: 'Idempotent', category: 'x', listPrice: '3.00' };
    const headers = { 'idempotency-key': 'key-1' };
    const first = await hub().call('POST', '/v1/items', { body, headers });
    const second = await hub().call('POST', '/v1/items', { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    const list = await hub().call('GET', '/v1/items?sku=IDEM-1');
    expect((list.body.data as unknown[]).length).toBe(1);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    const headers = { 'idempotency-key': 'key-2' };
    await hub().call('POST', '/v1/items', {
      body: { sku: 'IDEM-2', name: 'a', category: 'x', listPrice: '1' },
      headers,
    });
    const other = await hub().call('POST', '/v1/items', {
      body: { sku: 'IDEM-3', name: 'b', category: 'x', listPrice: '1' },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.idempotencyKey).toBe('key-2');
    expect((await hub().call('GET', '/v1/items?sku=IDEM-3')).body.data).toEqual([]);
  });

  it('scopes idempotency keys to the calling token', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await hub().call('POST', '/v1/customers', { body: { name: 'By admin' }, headers });
    const b = await hub().call('POST', '/v1/customers', {
      body: { name: 'By writer' },
      headers,
      token: hub().tokens.write,
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('serves ETags on reads and accepts a current If-Match', async () => {
    const created = await hub().call('POST', '/v1/customers', { body: { name: 'Etag Co' } });
    const read = await hub().call('GET', `/v1/customers/${String(created.body.id)}`);
    expect(read.headers.get('etag')).toBe('"1"');
    const ok = await hub().call('PATCH', `/v1/customers/${String(created.body.id)}`, {
      body: { phone: '+32 9 000' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
  });

  it('serves an OpenAPI 3.1 document generated from the validating schemas', async () => {
    const res = await hub().call('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/v1/customers', '/v1/customers/{id}', '/v1/items', '/v1/items/{id}']),
    );
    const schemas = (
      res.body.components as {
        schemas: Record<string, { required?: string[]; additionalProperties?: unknown }>;
      }
    ).schemas;
    expect(schemas.CustomerCreate?.required).toEqual(['name']);
    expect(schemas.CustomerCreate?.additionalProperties).toBe(false);
    expect(schemas.ItemCreate?.required).toEqual(
      expect.arrayContaining(['sku', 'name', 'category', 'listPrice']),
    );
  });

  it('answers health, readiness and Prometheus metrics without a token', async () => {
    expect((await hub().call('GET', '/healthz', { token: null })).body.status).toBe('ok');
    const ready = await hub().call('GET', '/readyz', { token: null });
    expect(ready.body).toEqual({ status: 'ready', database: hub().engine });
    const metrics = await hub().call('GET', '/metrics', { token: null });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(
      /^fieldsync_http_requests_total\{method="GET",route="\/readyz",status="200"\} \d+/m,
    );
    expect(metrics.text).toContain('fieldsync_http_request_duration_seconds_bucket');
  });

  it('paginates over HTTP with opaque cursors', async () => {
    for (let i = 0; i < 5; i += 1)
      await hub().call('POST', '/v1/items', {
        body: { sku: `PG-${i}`, name: `Pager ${i}`, category: 'pager', listPrice: '1' },
      });
    const first = await hub().call('GET', '/v1/items?category=pager&limit=2');
    expect((first.body.data as unknown[]).length).toBe(2);
    const cursor = String(first.body.nextCursor);
    const second = await hub().call(
      'GET',
      `/v1/items?category=pager&limit=2&cursor=${encodeURIComponent(cursor)}`,
    );
    const skus = [...(first.body.data as { sku: string }[]), ...(second.body.data as { sku: string }[])].map(
      (i) => i.sku,
    );
    expect(new Set(skus).size).toBe(4);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError } from '../sdk/connector-error.js';
import type { ConnectorRecord, ConnectorSession } from '../sdk/connector.js';
import type { TestErpEntity } from './test-erp-api.js';
import { testErpConnector } from './test-erp-connector.js';
import { startTestErp } from './test-erp-server.js';
import type { TestErp } from './test-erp-server.js';

let erp: TestErp;
let session: ConnectorSession<TestErpEntity>;
beforeEach(async () => {
  erp = await startTestErp({ requiredFields: { customer: ['name'] } });
  session = await testErpConnector.connect({
    baseUrl: erp.url,
    token: erp.token,
    timeoutMs: 5000,
    referenceLookup: false,
  });
});
afterEach(async () => {
  await session.close();
  await erp.close();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('test-erp connector', () => {
  it('classifies a response slower than timeoutMs as transient', async () => {
    const slow = await testErpConnector.connect({
      baseUrl: erp.url,
      token: erp.token,
      timeoutMs: 50,
      referenceLookup: false,
    });
    erp.faults.setLatency(1000);
    const error = await failure(slow.check());
    expect(isConnectorError(error) && error.errorClass).toBe('transient');
  });

  it('carries Retry-After as retryAfterMs', async () => {
    erp.faults.failNext(1, { kind: 'rate_limited', retryAfterSeconds: 12 });
    const error = await failure(session.readChanges('customer', null, 10));
    expect(isConnectorError(error) && [error.errorClass, error.retryAfterMs]).toEqual([
      'rate_limited',
      12_000,
    ]);
  });

  it('readAll pages past maxBatchSize without skipping or repeating', async () => {
    const stamp = '2024-05-01T00:00:00.000Z';
    erp.store.seed(
      'customer',
      Array.from({ length: 450 }, (_, i) => ({ modifiedAt: stamp, data: { name: `c${i}` } })),
    );
    const seen: ConnectorRecord[] = [];
    for await (const record of session.readAll('customer')) seen.push(record);
    expect(new Set(seen.map((r) => r.externalId)).size).toBe(450);
    expect(erp.requests({ method: 'GET' })).toHaveLength(3);
  });

  it('refuses batches and pages larger than the manifest allows, before any request', async () => {
    const ops = Array.from({ length: 201 }, (_, i) => ({
      idempotencyKey: `k${i}`,
      op: 'create',
      payload: { name: 'x' },
    }));
    expect(await failure(session.writeBatch('customer', ops))).toMatchObject({ errorClass: 'validation' });
    expect(await failure(session.readChanges('customer', null, 201))).toMatchObject({
      errorClass: 'validation',
    });
    expect(erp.requests()).toHaveLength(0);
  });

  it('reference mode: a create whose earlier attempt landed resolves to the existing record', async () => {
    const refSession = await testErpConnector.connect({
      baseUrl: erp.url,
      token: erp.token,
      timeoutMs: 5000,
      referenceLookup: true,
    });
    const [existing] = erp.store.seed('customer', [
      { reference: 'evt-1', data: { name: 'landed before the crash' } },
    ]);
    const [result] = await refSession.writeBatch('customer', [
      { idempotencyKey: 'evt-1', op: 'create', payload: { name: 'retry' } },
    ]);
    expect(result).toEqual({ idempotencyKey: 'evt-1', ok: true, externalId: existing?.id, replayed: true });
    expect(erp.store.all('customer')).toHaveLength(1);
    // The look-up happened over HTTP (GET by reference) and no create was posted.
    expect(erp.requests().map((r) => `${r.method} ${r.query.reference ?? ''}`)).toEqual(['GET evt-1']);
  });

  it('reference mode: losing a create race to a duplicate reference counts as success', async () => {
    const refSession = await testErpConnector.connect({
      baseUrl: erp.url,
      token: erp.token,
      timeoutMs: 5000,
      referenceLookup: true,
    });
    const ops = [{ idempotencyKey: 'evt-2', op: 'create', payload: { name: 'a' } }];
    const [a, b] = await Promise.all([
      refSession.writeBatch('customer', ops),
      refSession.writeBatch('customer', ops),
    ]);
    expect(a?.[0]?.ok && b?.[0]?.ok).toBe(true);
    expect(erp.store.all('customer')).toHaveLength(1);
  });

  it('rejects an invalid config at connect with a validation error naming the field', async () => {
    const error = await failure(testErpConnector.connect({ baseUrl: 'ftp://x', token: '' } as never));
    expect(isConnectorError(error) && error.errorClass).toBe('validation');
    expect(String((error as Error).message)).toMatch(/baseUrl/);
  });
});

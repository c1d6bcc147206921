import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors/index.js';
import { noopConnector } from './noop/index.js';
import { findConnector, getConnector, listConnectorNames } from './registry.js';

describe('connector registry', () => {
  it('lists the registered connectors and finds each by its manifest name', () => {
    expect(listConnectorNames()).toEqual(expect.arrayContaining(['noop', 'test-erp']));
    for (const name of listConnectorNames()) expect(getConnector(name).manifest.name).toBe(name);
    expect(findConnector('toString')).toBeUndefined();
  });

  it('names the known connectors when asked for an unknown one', () => {
    let error: unknown;
    try {
      getConnector('sap');
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('not_found');
    expect((error as Error).message).toMatch(/unknown connector "sap"; known connectors: .*noop.*test-erp/);
  });
});

describe('noop connector', () => {
  it('accepts every write with a key-derived id and has nothing to read', async () => {
    const session = await noopConnector.connect({ latencyMs: 0 });
    const ops = [
      { idempotencyKey: 'k1', op: 'create', payload: {} },
      { idempotencyKey: 'k2', op: 'frobnicate', externalId: 'E', payload: {} },
    ];
    expect(await session.writeBatch('anything', ops)).toEqual([
      { idempotencyKey: 'k1', ok: true, externalId: 'noop-k1' },
      { idempotencyKey: 'k2', ok: true, externalId: 'E' },
    ]);
    expect(await session.readChanges('anything', null, 10)).toEqual({
      records: [],
      nextCursor: null,
      hasMore: false,
    });
    const all: unknown[] = [];
    for await (const r of session.readAll('anything')) all.push(r);
    expect(all).toEqual([]);
    expect(noopConnector.manifest.entities['*']?.operations).toContain('writeBatch');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorError } from '../../src/connectors/sdk/index.js';
import { isConnectorError } from '../../src/connectors/sdk/index.js';
import type { TrytonConnectorSession, TrytonEntity } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import { startBlackHole, startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { collect, createGoods } from './fixtures.js';
import { configFor, throttleLogin } from './support.js';

const skip = trytonSkipReason();

async function failure(run: () => Promise<unknown>): Promise<ConnectorError> {
  try {
    await run();
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError, the call succeeded');
}

describe.skipIf(skip !== undefined)(`tryton error classification, live ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let session: TrytonConnectorSession;

  const connect = async (overrides: Parameters<typeof configFor>[1] = {}) =>
    (await trytonConnector.connect(configFor(tryton, overrides))) as TrytonConnectorSession;

  beforeAll(async () => {
    tryton = await startTryton();
    session = await connect();
    await createGoods(tryton, 'ERR-1');
  });
  afterAll(async () => {
    await session?.close();
    await tryton?.stop();
  });

  it('a bad field in the payload is validation, before anything reaches Tryton', async () => {
    const [result] = await session.writeBatch('party', [
      { idempotencyKey: 'bad-field', op: 'create', payload: { name: 'Acme', nickname: 'A' } },
    ]);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.error.errorClass).toBe('validation');
      expect(result.error.message).toMatch(/nickname/);
    }
  });

  it('values Tryton refuses are validation: a UserError (too many digits for the unit) and a bare exception (wrong unit)', async () => {
    const results = await session.writeBatch('stock_move', [
      {
        idempotencyKey: 'digits',
        op: 'create',
        payload: { lines: [{ sku: 'ERR-1', quantity: '1.5', location: 'stock.location_storage' }] },
      },
      {
        idempotencyKey: 'bad-unit',
        op: 'create',
        payload: { lines: [{ sku: 'ERR-1', quantity: '1', uom: 'kg', location: 'stock.location_storage' }] },
      },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual(['validation', 'validation']);
    const [digits, unit] = results.map((r) => (r.ok ? undefined : r.error));
    expect(digits?.vendorDetail).toMatchObject({
      kind: 'UserError',
      message: expect.stringMatching(/digits/),
    });
    expect(unit?.vendorDetail).toMatchObject({
      kind: 'exception',
      message: expect.stringMatching(/cannot convert/),
    });
  });

  it('a stopped server is transient, for writes and reads alike', async () => {
    await tryton.stopServer();
    try {
      const write = await failure(() =>
        session.writeBatch('party', [
          { idempotencyKey: 'down', op: 'create', payload: { name: 'While down' } },
        ]),
      );
      expect(write.errorClass).toBe('transient');
      expect(write.vendorDetail).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
      const read = await failure(() => collect(session.readAll('product')));
      expect(read.errorClass).toBe('transient');
    } finally {
      await tryton.startServer();
    }
    // The session survives the restart (Tryton keeps sessions in the database).
    await expect(session.check()).resolves.toMatchObject({
      serverVersion: expect.stringMatching(/^trytond 6\./),
    });
  });

  it('a hung server (no answer) is transient once the request timeout passes', async () => {
    const hole = await startBlackHole();
    try {
      const hung = await connect({ url: hole.url, timeouts: { requestMs: 300, buttonMs: 300 } });
      const error = await failure(() => hung.check());
      expect(error.errorClass).toBe('transient');
      expect(error.vendorDetail).toMatchObject({ kind: 'network', code: 'TIMEOUT' });
    } finally {
      await hole.close();
    }
  });

  it('a bad password is auth (HTTP 401); an unknown database is auth too', async () => {
    const wrong = await failure(async () => (await connect({ password: 'not-the-password' })).check());
    expect(wrong.errorClass).toBe('auth');
    expect(wrong.vendorDetail).toMatchObject({ kind: 'http', status: 401 });
    const database = await failure(async () => (await connect({ database: 'no_such_database' })).check());
    expect(database.errorClass).toBe('auth');
  });

  it('a throttled login (HTTP 429) is rate_limited with the configured pause, as trytond sends no Retry-After', async () => {
    throttleLogin(tryton, 'throttled-user');
    const error = await failure(async () =>
      (await connect({ login: 'throttled-user', rateLimitRetryAfterMs: 5000 })).check(),
    );
    expect(error.errorClass).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(5000);
    expect(error.vendorDetail).toMatchObject({ kind: 'http', status: 429 });
  });

  it('bad calls are refused with the right class: garbage cursor, bad limit, an unknown entity, writing read-only data', async () => {
    expect(
      (await failure(() => session.readChanges('party', { modifiedAt: '2026-13-45T99:00:00Z', id: '1' }, 5)))
        .errorClass,
    ).toBe('cursor_invalid');
    expect((await failure(() => session.readChanges('party', null, 0))).errorClass).toBe('validation');
    expect(
      (await failure(() => session.readChanges('no_such_entity' as TrytonEntity, null, 5))).errorClass,
    ).toBe('validation');
    expect(
      (
        await failure(() =>
          session.writeBatch('product', [{ idempotencyKey: 'p', op: 'create', payload: {} }]),
        )
      ).errorClass,
    ).toBe('validation');
    const [wrongOp] = await session.writeBatch('stock_move', [
      { idempotencyKey: 'x', op: 'delete', externalId: '1', payload: {} },
    ]);
    expect(wrongOp?.ok === false && wrongOp.error.errorClass).toBe('validation');
  });

  it('an invalid config is refused at connect with validation', async () => {
    const error = await failure(() => trytonConnector.connect({ ...configFor(tryton), maxInFlight: 0 }));
    expect(error.errorClass).toBe('validation');
    expect(error.message).toMatch(/maxInFlight/);
  });
});

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { runConnectorConformance } from '../sdk/conformance-kit.js';
import type { TestErpEntity } from './test-erp-api.js';
import { testErpConnector } from './test-erp-connector.js';
import type { TestErpConfig } from './test-erp-connector.js';
import { startTestErp } from './test-erp-server.js';
import type { TestErp } from './test-erp-server.js';

/** A port nobody listens on: bind, read the number, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let erp: TestErp;
beforeAll(async () => {
  erp = await startTestErp({ requiredFields: { customer: ['name'] } });
});
afterAll(async () => {
  await erp.close();
});

for (const referenceLookup of [false, true]) {
  const good = (): TestErpConfig => ({
    baseUrl: erp.url,
    token: erp.token,
    timeoutMs: 5000,
    referenceLookup,
  });
  runConnectorConformance<TestErpEntity, TestErpConfig>({
    name: 'test-erp',
    label: referenceLookup
      ? 'test-erp (reference look-up before create)'
      : 'test-erp (native idempotency keys)',
    makeConnector: () => testErpConnector,
    goodConfig: good,
    badConnections: [
      { name: 'wrong token', config: () => ({ ...good(), token: 'wrong-token' }), expect: 'auth' },
      {
        name: 'nothing listening',
        config: async () => ({ ...good(), baseUrl: `http://127.0.0.1:${await closedPort()}` }),
        expect: 'transient',
      },
    ],
    entity: 'customer',
    seed: async (records) =>
      erp.store
        .seed(
          'customer',
          records.map((r) => ({ modifiedAt: r.modifiedAt, data: { name: `seeded ${r.index}` } })),
        )
        .map((r) => r.id),
    sampleWrite: (i) => ({ op: 'create', payload: { name: `written ${i}` } }),
    triggerError: {
      transient: { arrange: () => erp.faults.failNext(1, { kind: 'server_error', status: 503 }) },
      rate_limited: { arrange: () => erp.faults.failNext(1, { kind: 'rate_limited', retryAfterSeconds: 3 }) },
      auth: { arrange: () => erp.faults.failNext(1, { kind: 'unauthorized' }) },
      not_found: {
        act: ({ session }) =>
          session.writeBatch('customer', [
            {
              idempotencyKey: `nf-${referenceLookup}`,
              op: 'update',
              externalId: 'CUS-99999999',
              payload: { name: 'x' },
            },
          ]),
      },
      validation: {
        act: ({ session }) =>
          session.writeBatch('customer', [
            { idempotencyKey: `val-ok-${referenceLookup}`, op: 'create', payload: { name: 'fine' } },
            { idempotencyKey: `val-bad-${referenceLookup}`, op: 'create', payload: { city: 'no name' } },
          ]),
      },
      conflict: referenceLookup
        ? {
            arrange: () => erp.faults.failNext(1, { kind: 'conflict' }, (r) => r.method === 'POST'),
            act: ({ session }) =>
              session.writeBatch('customer', [
                {
                  idempotencyKey: 'cf-ref',
                  op: 'update',
                  externalId: 'CUS-00000001',
                  payload: { name: 'y' },
                },
              ]),
          }
        : {
            act: async ({ session }) => {
              await session.writeBatch('customer', [
                { idempotencyKey: 'cf-key', op: 'create', payload: { name: 'first' } },
              ]);
              return session.writeBatch('customer', [
                { idempotencyKey: 'cf-key', op: 'create', payload: { name: 'different' } },
              ]);
            },
          },
      cursor_invalid: {
        act: ({ session }) => session.readChanges('customer', { modifiedAt: 'yesterday', id: 'x' }, 10),
      },
    },
  });
}

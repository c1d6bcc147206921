import { afterAll, beforeAll, describe } from 'vitest';
import type { TrytonConnectorConfig, TrytonEntity } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import { runConnectorConformance } from '../../src/connectors/sdk/conformance-kit.js';
import type { ConnectorRecord } from '../../src/connectors/sdk/index.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { closedPort, configFor, groupsOf, throttleLogin } from './support.js';

const skip = trytonSkipReason();
let tryton: TrytonHandle;

beforeAll(async () => {
  if (skip === undefined) tryton = await startTryton();
});
afterAll(async () => {
  await tryton?.stop();
});

describe.skipIf(skip !== undefined)(`tryton connector against a real trytond ${skip ?? ''}`, () => {
  const good = (): TrytonConnectorConfig => configFor(tryton);
  runConnectorConformance<TrytonEntity, TrytonConnectorConfig>({
    name: 'tryton',
    label: 'tryton (party, live trytond 6.0)',
    makeConnector: () => trytonConnector,
    goodConfig: good,
    badConnections: [
      { name: 'wrong password', config: () => ({ ...good(), login: 'kit-wrong-password' }), expect: 'auth' },
      { name: 'unknown database', config: () => ({ ...good(), database: 'no_such_db' }), expect: 'auth' },
      {
        name: 'nothing listening',
        config: async () => ({ ...good(), url: `http://127.0.0.1:${await closedPort()}` }),
        expect: 'transient',
      },
    ],
    entity: 'party',
    // One create call per timestamp group: Tryton stamps every record of one transaction alike.
    seed: async (records) => {
      const client = tryton.client();
      const ids: number[] = [];
      for (const group of groupsOf(records)) {
        ids.push(
          ...(await client.create(
            'party.party',
            group.map((r) => ({ name: `seeded ${r.index}` })),
          )),
        );
      }
      return ids.map(String);
    },
    sampleWrite: (i) => ({ op: 'create', payload: { name: `written ${i}` } }),
    triggerError: {
      transient: {
        arrange: () => tryton.stopServer(),
        cleanup: () => tryton.startServer(),
      },
      rate_limited: {
        arrange: () => throttleLogin(tryton, 'kit-throttled'),
        act: async ({ connector, config }) => {
          const session = await connector.connect({ ...config, login: 'kit-throttled' });
          try {
            return await session.check();
          } finally {
            await session.close();
          }
        },
      },
      auth: {
        act: async ({ connector, config }) => {
          const session = await connector.connect({ ...config, login: 'kit-bad-login', password: 'wrong' });
          return session.readChanges('party', null, 1);
        },
      },
      not_found: {
        act: ({ session }) =>
          session.writeBatch('party', [
            { idempotencyKey: 'nf-1', op: 'update', externalId: '999999', payload: { name: 'Ghost' } },
          ]),
      },
      validation: {
        // Tryton refuses the duplicate party code (unique constraint); the other op still lands.
        act: ({ session }) =>
          session.writeBatch('party', [
            { idempotencyKey: 'val-ok', op: 'create', payload: { name: 'Fine party' } },
            { idempotencyKey: 'val-bad', op: 'create', payload: { name: 'Clashing code', code: '1' } },
          ]),
      },
      conflict: {
        act: async ({ session }) => {
          const client = tryton.client();
          const [id] = await client.create('party.party', [{ name: 'Edited twice' }]);
          let seen: ConnectorRecord | undefined;
          for await (const record of session.readAll('party'))
            if (record.externalId === String(id)) seen = record;
          await client.write('party.party', [id as number], { name: 'Edited in Tryton meanwhile' });
          return session.writeBatch('party', [
            {
              idempotencyKey: 'cf-1',
              op: 'update',
              externalId: String(id),
              payload: { name: 'Edited in Fieldsync', ifUnmodifiedSince: seen?.modifiedAt ?? 'missing' },
            },
          ]);
        },
      },
      cursor_invalid: {
        act: ({ session }) => session.readChanges('party', { modifiedAt: 'yesterday', id: 'x' }, 10),
      },
    },
    pageSize: 5,
  });
});

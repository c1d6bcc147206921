import { afterEach, expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { SyncEngine } from '../../src/sync/engine/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { deliveryCounts, quietLogger, waitFor } from './sync-fixture.js';

// Records that backed off while the ERP was down waited on the ERP, not on themselves: once the
// breaker closes they are due at once, instead of each waiting out its own growing backoff.
describeEachEngine('recovery releases the backlog', (db) => {
  let erp: TestErp | undefined;
  let engine: SyncEngine | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await erp?.close();
    erp = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  it('delivers what backed off during an outage as soon as the breaker closes, long before its backoff ends', async () => {
    erp = await startTestErp();
    const name = `recover-${Math.random().toString(36).slice(2, 8)}`;
    engine = new SyncEngine({
      db: db().db,
      logger: quietLogger(),
      pollMs: 20,
      flowConfig: validateFlowConfig({
        connectors: {
          erp: { type: 'test-erp', config: { baseUrl: erp.url, token: erp.token, timeoutMs: 2000 } },
        },
        flows: [
          {
            name,
            direction: 'outbound',
            connector: 'erp',
            source: { kind: 'events', types: ['customer.created'] },
            entity: 'customer',
            mapping: { fields: { name: { from: 'customer.name', owner: 'erp', required: true } } },
            target: { entity: 'customer', operation: 'create' },
            // One record per call, so five records give the breaker its five failed calls.
            batchSize: 1,
            // Backoff far longer than the test: only the recovery release can deliver in time.
            retry: { maxAttempts: 10, baseDelayMs: 120_000, maxDelayMs: 300_000, jitter: 'none' },
          },
        ],
      }),
    });
    await engine.start();
    erp.faults.failNext(1_000, { kind: 'server_error', status: 503 });
    for (let i = 0; i < 12; i += 1) await createCustomer(db().db, { name: `Outage ${i}` });
    const subscriber = `flow:${name}`;
    await waitFor(
      async () => engine?.breakerStates().erp?.state === 'open',
      10_000,
      'the breaker opens while the ERP fails',
    );
    await waitFor(
      async () => (await deliveryCounts(db().db, subscriber)).pending === 12,
      10_000,
      'every record waiting on its backoff',
    );
    // The ERP is back; work keeps arriving, so the next probe finds a due record and closes the breaker.
    erp.faults.clear();
    await createCustomer(db().db, { name: 'After the outage' });
    await waitFor(
      async () => (await deliveryCounts(db().db, subscriber)).delivered === 13,
      15_000,
      'the backlog delivered after recovery',
    );
    expect(erp.store.all('customer')).toHaveLength(13);
  }, 40_000);
});

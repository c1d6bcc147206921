import { afterEach, expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp, testErpConnector } from '../../src/connectors/test-erp/index.js';
import { createCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import { buildOutboundFlow, Dispatcher, LazySession } from '../../src/sync/engine/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { customerMapping, deliveryCounts, quietLogger, waitFor } from './sync-fixture.js';

/**
 * Found while looking into the call timeouts of the full-size R1 run (bench/r1-kill.ts): when a
 * `writeBatch` call outlived the dispatcher's call deadline (60 % of the lease), `deliverBatch` stopped
 * waiting but nothing cancelled the call. The connector carried on — the reference look-ups of a keyless
 * (Tryton-like) session, then the batch POST — while the engine had already scheduled the records for
 * retry; the retry and the record's NEXT event were delivered, and then the abandoned call landed and
 * wrote the older state over the newer one. The engine now aborts the call at its deadline and the
 * connector sends nothing more for it (`writeBatch(entity, ops, { signal })`).
 *
 * Steps: customer Y is delivered (crosswalk linked). Then one batch carries [create X, update Y → "v1"];
 * the ERP answers slowly (3 s per request) so the engine gives up after 600 ms. The retry delivers
 * both, then Y is renamed "v2" and delivered. Three seconds after the first look-up, the abandoned call
 * would have woken up and POSTed "update Y → v1".
 */
describeEachEngine('an abandoned (timed-out) ERP call', (db) => {
  let erp: TestErp | undefined;
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    erp?.faults.clear();
    await erp?.close();
    erp = undefined;
  });

  it('a call the engine gave up on writes nothing more: the newer state stays', async () => {
    const handle = db().db;
    erp = await startTestErp();
    const config = {
      baseUrl: erp.url,
      token: erp.token,
      timeoutMs: 10_000, // the connector's own per-request bound; the engine's is shorter
      referenceLookup: true,
    };
    // Wrapped the way the hub's SyncEngine wraps every session, so the abort must pass through it.
    const session = new LazySession(() => testErpConnector.connect(config));
    const name = `abandoned-${Math.random().toString(36).slice(2, 8)}`;
    const flow = buildOutboundFlow({
      name,
      eventTypes: ['customer.*'],
      connectorName: name,
      session,
      entity: 'customer',
      operation: 'upsert',
      mapping: customerMapping,
      batchSize: 10,
      concurrency: 1,
      retry: { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 20, jitter: 'none' },
    });
    await setSubscriptions(handle, { [flow.subscriber]: flow.eventTypes });
    const start = () => {
      const d = new Dispatcher({
        db: handle,
        flows: [flow],
        logger: quietLogger(),
        pollMs: 20,
        leaseMs: 1000,
      });
      d.start();
      return d;
    };
    const delivered = async (n: number, label: string) =>
      waitFor(async () => (await deliveryCounts(handle, flow.subscriber)).delivered === n, 20_000, label);

    dispatcher = start();
    const y = await createCustomer(handle, { name: 'Y v0', code: 'Y' });
    await delivered(1, 'Y created in the ERP');
    await dispatcher.stop();

    const x = await createCustomer(handle, { name: 'X', code: 'X' });
    await updateCustomer(handle, y.id, { name: 'Y v1' });
    erp.faults.setLatency(3000);
    erp.clearRequests();
    dispatcher = start();
    // The first look-up (for X) has reached the ERP and sleeps 3 s; answer the retry at once.
    await waitFor(async () => erp!.requests({ method: 'GET' }).length > 0, 10_000, 'the slow look-up');
    erp.faults.setLatency(0);
    await delivered(3, 'the retry delivered X and Y v1');
    await updateCustomer(handle, y.id, { name: 'Y v2' });
    await delivered(4, 'Y v2 delivered');
    expect(erp.store.findByReference('customer', y.id)?.data.name).toBe('Y v2');
    expect(erp.store.findByReference('customer', x.id)).toBeDefined();

    // Give the abandoned call time to wake (3 s after its look-up) and finish.
    const posts = erp.requests({ method: 'POST' }).length;
    await waitFor(
      async () => erp!.requests({ method: 'POST' }).length > posts,
      6000,
      'the abandoned POST',
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    // No late POST came, and the ERP holds the hub's last delivered state of Y.
    expect(erp.requests({ method: 'POST' })).toHaveLength(posts);
    expect(erp.store.findByReference('customer', y.id)?.data.name).toBe('Y v2');
  }, 60_000);
});

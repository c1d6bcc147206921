import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp, testErpConnector } from '../../src/connectors/test-erp/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import type { OutboundFlow } from '../../src/sync/engine/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import type { RetryPolicyInput } from '../../src/sync/retry/index.js';
import { customerMapping } from './sync-mappings.js';

export { customerMapping } from './sync-mappings.js';

export const quietLogger = () => createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));

export interface SyncFixture {
  erp: TestErp;
  flow: OutboundFlow;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

/** A test ERP on loopback, a customer flow to it, and a dispatcher (not started). */
export async function customerSyncFixture(
  db: Kysely<Database>,
  options: {
    retry?: RetryPolicyInput;
    batchSize?: number;
    concurrency?: number;
    referenceLookup?: boolean;
    owner?: string;
    name?: string;
  } = {},
): Promise<SyncFixture> {
  const erp = await startTestErp();
  const session = await testErpConnector.connect({
    baseUrl: erp.url,
    token: erp.token,
    timeoutMs: 5000,
    referenceLookup: options.referenceLookup ?? false,
  });
  const flow = buildOutboundFlow({
    name: options.name ?? `customers-${Math.random().toString(36).slice(2, 8)}`,
    eventTypes: ['customer.*'],
    connectorName: `test-erp-${Math.random().toString(36).slice(2, 8)}`,
    session,
    entity: 'customer',
    operation: 'upsert',
    mapping: customerMapping,
    batchSize: options.batchSize ?? 50,
    concurrency: options.concurrency ?? 2,
    retry: options.retry ?? { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 'none' },
  });
  await setSubscriptions(db, { [flow.subscriber]: flow.eventTypes });
  const dispatcher = new Dispatcher({
    db,
    flows: [flow],
    logger: quietLogger(),
    pollMs: 20,
    leaseMs: 5000,
    owner: options.owner,
  });
  return {
    erp,
    flow,
    dispatcher,
    close: async () => {
      await dispatcher.stop();
      await session.close();
      await erp.close();
    },
  };
}

/** Polls until `check` holds, failing after `timeoutMs` (every wait in tests is bounded). */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  label = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
}

export async function deliveryCounts(db: Kysely<Database>, subscriber: string) {
  const rows = await db
    .selectFrom('outbox_deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('subscriber', '=', subscriber)
    .groupBy('status')
    .execute();
  const counts: Record<string, number> = { pending: 0, in_flight: 0, delivered: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Waits until nothing of `subscriber` is pending or in flight and at least `settled` deliveries ended (delivered or dead). */
export async function waitForSettled(
  db: Kysely<Database>,
  subscriber: string,
  settled: number,
  timeoutMs = 15_000,
): Promise<void> {
  await waitFor(
    async () => {
      const c = await deliveryCounts(db, subscriber);
      return (c.pending ?? 0) + (c.in_flight ?? 0) === 0 && (c.delivered ?? 0) + (c.dead ?? 0) >= settled;
    },
    timeoutMs,
    `${settled} deliveries of ${subscriber} settled`,
  );
}

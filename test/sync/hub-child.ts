// A minimal hub process for crash tests: runs one customer flow's dispatcher until it is killed.
// Started by crash-run.ts through typescriptChildArgs, so it stops when its parent dies.
// Env: DB_URL, ERP_URL, ERP_TOKEN, FLOW, CONNECTOR, REFERENCE_LOOKUP ("1"), LEASE_MS, BATCH.
import { Writable } from 'node:stream';
import { testErpConnector } from '../../src/connectors/test-erp/index.js';
import { openDatabase } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import { customerMapping } from './sync-mappings.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`hub-child: ${name} is required`);
  return value;
};

const handle = openDatabase({ url: env('DB_URL'), poolSize: 4 });
const session = await testErpConnector.connect({
  baseUrl: env('ERP_URL'),
  token: env('ERP_TOKEN'),
  timeoutMs: 5000,
  referenceLookup: process.env.REFERENCE_LOOKUP === '1',
});
const flow = buildOutboundFlow({
  name: env('FLOW'),
  eventTypes: ['customer.*'],
  connectorName: env('CONNECTOR'),
  session,
  entity: 'customer',
  operation: 'upsert',
  mapping: customerMapping,
  batchSize: Number(process.env.BATCH ?? 100),
  concurrency: 2,
  retry: { maxAttempts: 50, baseDelayMs: 10, maxDelayMs: 200, jitter: 'full' },
});
const logger = createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));
const dispatcher = new Dispatcher({
  db: handle.db,
  flows: [flow],
  logger,
  pollMs: 20,
  leaseMs: Number(process.env.LEASE_MS ?? 1000),
});
dispatcher.start();
process.stdout.write('ready\n');
process.once(
  'SIGTERM',
  () =>
    void dispatcher
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0)),
);

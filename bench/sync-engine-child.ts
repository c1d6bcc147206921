// A second hub process for the 2-hub benchmark: drains flow "bench" with the no-op connector until stopped.
import { Writable } from 'node:stream';
import { noopConnector } from '../src/connectors/noop/index.js';
import { openDatabase } from '../src/platform/db/index.js';
import { createLogger } from '../src/platform/logging/index.js';
import { buildOutboundFlow, Dispatcher } from '../src/sync/engine/index.js';
import { customerMapping } from '../test/sync/sync-mappings.js';

const handle = openDatabase({ url: process.env.DB_URL ?? '', poolSize: 6, commit: 'relaxed' });
const session = await noopConnector.connect({ latencyMs: 0 });
const flow = buildOutboundFlow({
  name: 'bench',
  eventTypes: ['customer.*'],
  connectorName: 'bench',
  session,
  entity: 'customer',
  operation: 'upsert',
  mapping: customerMapping,
  batchSize: 100,
  concurrency: 4,
});
const dispatcher = new Dispatcher({
  db: handle.db,
  flows: [flow],
  logger: createLogger('fatal', new Writable({ write: (_c, _e, d) => d() })),
  pollMs: 5,
});
// Ready once connected; the parent says "go" so start-up stays out of the measured window.
process.stdout.write('ready\n');
process.stdin.once('data', () => dispatcher.start());
process.once(
  'SIGTERM',
  () =>
    void dispatcher
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0)),
);

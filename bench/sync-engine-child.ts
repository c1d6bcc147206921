// A second hub process for the 2-hub benchmark: drains flow "bench" with the no-op connector until stopped.
import { Writable } from 'node:stream';
import { noopConnector } from '../src/connectors/noop/index.js';
import { openDatabase } from '../src/platform/db/index.js';
import { createLogger } from '../src/platform/logging/index.js';
import { buildOutboundFlow, Dispatcher } from '../src/sync/engine/index.js';
import { customerMapping } from '../test/sync/sync-mappings.js';

const handle = openDatabase({ url: process.env.DB_URL ?? '', poolSize: 6, commit: 'relaxed' });
const session = await noopConnector.connect({ latencyMs: 0 });
// Tells the parent how many events this hub has sent, so that it asks the database whether the run is
// over only near its end: its count(*) over a table full of dead index entries costs the server 50–120 ms.
let sent = 0;
const write = session.writeBatch.bind(session);
session.writeBatch = (entity, ops, options) => {
  sent += ops.length;
  process.stdout.write(`sent ${sent}\n`);
  return write(entity, ops, options);
};
const flow = buildOutboundFlow({
  name: 'bench',
  eventTypes: ['customer.*'],
  connectorName: 'bench',
  session,
  entity: 'customer',
  operation: 'upsert',
  mapping: customerMapping,
  batchSize: 100,
  concurrency: Number(process.env.BENCH_HUB_WORKERS ?? 4),
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

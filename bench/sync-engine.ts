// Issue 5 benchmark: engine throughput with a no-op connector and with the loopback test ERP (batches
// of 100), on SQLite and PostgreSQL (1 and 2 hub processes), plus delivery latency at 200 events/s.
// Run: npx tsx bench/sync-engine.ts   (BENCH_EVENTS=100000 by default; FIELDSYNC_BENCH_ENGINES=sqlite;
// BENCH_CASES=noop for the no-op 1-hub case alone; BENCH_BATCH=400 for batches of 400). PostgreSQL runs 4
// delivery workers in all: 4 in one hub, 2 in each of two.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { startTestErp, testErpConnector } from '../src/connectors/test-erp/index.js';
import { noopConnector } from '../src/connectors/noop/index.js';
import type { ConnectorSession } from '../src/connectors/sdk/index.js';
import type { Engine } from '../src/platform/db/index.js';
import { openDatabase, sqlitePathOf, startBackgroundCheckpoints } from '../src/platform/db/index.js';
import { createLogger } from '../src/platform/logging/index.js';
import { inTransaction } from '../src/platform/outbox/index.js';
import { setSubscriptions } from '../src/platform/outbox/index.js';
import { buildOutboundFlow, Dispatcher } from '../src/sync/engine/index.js';
import { createTestDatabase } from '../test/support/databases.js';
import { customerMapping } from '../test/sync/sync-mappings.js';
import { typescriptChildArgs } from '../test/support/typescript-child.js';
import { seedDeliveries } from './sync-seed.js';
import { benchEngines, benchPgUrl, fmt, latencySummary, trackPeakRss } from './support.js';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { sql } from 'kysely';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const quiet = createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));
const SUB = 'flow:bench';
/**
 * Delivery workers on PostgreSQL, shared among the hubs: 4 for one hub, 2 each for two. Each worker of a
 * hub is one concurrent batch; on these 2 cores, 8 workers (4 per hub) ran the server into contention
 * (locks on rows another worker had just leased, CPU) and read 18,200–18,800/s, against 21,000–22,200/s
 * for 2 × 2 and 22,000–23,500/s for one hub of 4. SQLite runs one dispatcher, one worker.
 */
const PG_WORKERS = 4;

/**
 * Deliveries still to do: a range count on the due index that shrinks as the run drains (counting the
 * delivered rows instead grows with the run and, on SQLite, blocks the dispatcher's thread while it runs).
 */
async function countRemaining(db: Parameters<typeof seedDeliveries>[0]): Promise<number> {
  const row = await db
    .selectFrom('outbox_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subscriber', '=', SUB)
    .where('status', 'in', ['pending', 'in_flight'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * PostgreSQL's side of a run, independent of other load on the machine: WAL written so far, and the CPU
 * used by this database's server processes started since `since` (the dispatchers' connections).
 */
async function serverSide(db: Parameters<typeof seedDeliveries>[0], since?: string) {
  const row = await sql<{ lsn: string; at: string }>`
    select (pg_current_wal_lsn() - '0/0')::text as lsn, now()::text as at`.execute(db);
  const { lsn, at } = row.rows[0] ?? { lsn: '0', at: '' };
  let cpuMs = 0;
  if (since !== undefined) {
    const pids = await sql<{ pid: number }>`
      select pid from pg_stat_activity
       where datname = current_database() and backend_start >= ${since}::timestamptz`.execute(db);
    const tick = 10; // ms per clock tick (CLK_TCK 100)
    for (const { pid } of pids.rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuMs += (Number(fields[11]) + Number(fields[12])) * tick;
      } catch {
        // the server is not on this machine: no CPU figure
      }
    }
  }
  return { walBytes: Number(lsn), at, cpuMs };
}

interface ChildHub {
  process: ChildProcess;
  /** Events this hub has sent so far, as it last reported. */
  sent: number;
}

/** Starts a second hub process and resolves once it is connected and waiting for "go" on stdin. */
function startChildHub(dbUrl: string, workers: number): Promise<ChildHub> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, typescriptChildArgs('bench/sync-engine-child.ts'), {
      env: { ...process.env, DB_URL: dbUrl, BENCH_HUB_WORKERS: String(workers) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const hub: ChildHub = { process: child, sent: 0 };
    let pending = '';
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (pending + d.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve(hub);
        else if (line.startsWith('sent ')) hub.sent = Number(line.slice('sent '.length));
      }
    });
    child.once('exit', (code) => reject(new Error(`bench hub exited early (${String(code)})`)));
  });
}

function flowFor(session: ConnectorSession, concurrency: number) {
  return buildOutboundFlow({
    name: 'bench',
    eventTypes: ['customer.*'],
    connectorName: 'bench',
    session,
    entity: 'customer',
    operation: 'upsert',
    mapping: customerMapping,
    batchSize: Number(process.env.BENCH_BATCH ?? 100),
    concurrency,
  });
}

async function drain(
  engine: Engine,
  label: string,
  makeSession: () => Promise<ConnectorSession>,
  extraHubs = 0,
) {
  const testDb = await createTestDatabase(engine, { serverUrl: benchPgUrl });
  try {
    const db = testDb.handle.db;
    await seedDeliveries(db, { events: EVENTS, subjects: Math.floor(EVENTS / 2), subscriber: SUB });
    // Child hubs start (tsx, connections) before the clock does, then all begin together.
    const workers = engine === 'sqlite' ? 1 : Math.max(1, Math.floor(PG_WORKERS / (1 + extraHubs)));
    const children = await Promise.all(
      Array.from({ length: extraHubs }, () => startChildHub(testDb.url, workers)),
    );
    const session = await makeSession();
    // Counts what this hub sent, so its CPU is divided by its own share when other hubs help.
    let sent = 0;
    const write = session.writeBatch.bind(session);
    session.writeBatch = (entity, ops) => {
      sent += ops.length;
      return write(entity, ops);
    };
    // As in the hub: on PostgreSQL the dispatcher has its own relaxed-commit pool.
    const delivery =
      engine === 'postgres' ? openDatabase({ url: testDb.url, commit: 'relaxed' }) : testDb.handle;
    // As in the hub: on SQLite the WAL is checkpointed from a thread of its own.
    const checkpoints =
      engine === 'sqlite' ? startBackgroundCheckpoints(sqlitePathOf(testDb.url)) : undefined;
    const dispatcher = new Dispatcher({
      db: delivery.db,
      flows: [flowFor(session, workers)],
      logger: quiet,
      pollMs: 5,
    });
    const rss = trackPeakRss();
    const pgBefore = engine === 'postgres' ? await serverSide(db) : undefined;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const c of children) c.process.stdin?.write('go\n');
    dispatcher.start();
    // The hubs' own counts say when to look: a count(*) over the backlog every 50 ms would take its share
    // of the one thread the SQLite dispatcher runs on, and on PostgreSQL, where every delivered row leaves
    // dead entries in the due index until a vacuum, 50–120 ms of the server's CPU each time.
    const mayBeDone = () => children.reduce((all, c) => all + c.sent, sent) >= EVENTS;
    while (!mayBeDone() || (await countRemaining(db)) > 0) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const pgAfter = pgBefore ? await serverSide(db, pgBefore.at) : undefined;
    await dispatcher.stop();
    await checkpoints?.stop();
    if (delivery !== testDb.handle) await delivery.close();
    await Promise.all(
      children.map(({ process: c }) => {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        return exited;
      }),
    );
    const peak = rss.stop();
    const mine = sent;
    // CPU of this process per event it delivered: the engine's own cost, whatever else the machine runs.
    const cpuUsPerEvent = (cpu.user + cpu.system) / Math.max(1, mine);
    const server =
      pgBefore && pgAfter
        ? `; PostgreSQL ${fmt(pgAfter.cpuMs / EVENTS / 1e-3, 1)} µs CPU/event, ${fmt((pgAfter.walBytes - pgBefore.walBytes) / EVENTS, 0)} WAL bytes/event`
        : '';
    console.log(
      `  ${label.padEnd(34)} ${fmt(EVENTS / seconds, 0).padStart(8)} events/s  (${fmt(seconds, 2)} s, ${mine} by this hub of ${workers} worker${workers === 1 ? '' : 's'}, ${fmt(cpuUsPerEvent, 1)} µs CPU/event here, peak RSS ${fmt(peak, 0)} MiB${server})`,
    );
  } finally {
    await testDb.drop();
  }
}

async function latencyAt(engine: Engine, rate: number, seconds: number) {
  const testDb = await createTestDatabase(engine, { serverUrl: benchPgUrl });
  const erp = await startTestErp();
  try {
    const db = testDb.handle.db;
    await setSubscriptions(db, { [SUB]: ['customer.*'] });
    const session = await testErpConnector.connect({
      baseUrl: erp.url,
      token: erp.token,
      timeoutMs: 5000,
      referenceLookup: false,
    });
    const delivery =
      engine === 'postgres' ? openDatabase({ url: testDb.url, commit: 'relaxed' }) : testDb.handle;
    const dispatcher = new Dispatcher({
      db: delivery.db,
      flows: [flowFor(session, 2)],
      logger: quiet,
      pollMs: 200,
    });
    dispatcher.start();
    const total = rate * seconds;
    const t0 = performance.now();
    for (let i = 0; i < total; i += 1) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await inTransaction(db, (uow) =>
        uow.emit({
          type: 'customer.updated',
          subject: `customer/lat-${i}`,
          data: { customer: { name: `L${i}`, code: `L${i}`, version: 1 } },
        }),
      );
    }
    while ((await countRemaining(db)) > 0) await new Promise((r) => setTimeout(r, 50));
    await dispatcher.stop();
    if (delivery !== testDb.handle) await delivery.close();
    const rows = await db
      .selectFrom('outbox_deliveries')
      .select(['event_time', 'delivered_at'])
      .where('subscriber', '=', SUB)
      .execute();
    const lat = latencySummary(rows.map((r) => Date.parse(r.delivered_at ?? '') - Date.parse(r.event_time)));
    console.log(
      `  latency at ${rate} events/s (test ERP)   p50 ${fmt(lat.p50, 0)} ms  p95 ${fmt(lat.p95, 0)} ms  p99 ${fmt(lat.p99, 0)} ms`,
    );
  } finally {
    await erp.close();
    await testDb.drop();
  }
}

// BENCH_CASES picks cases (comma-separated: noop, noop2, erp, latency); all by default.
const cases = new Set((process.env.BENCH_CASES ?? 'noop,noop2,erp,latency').split(','));
for (const engine of benchEngines()) {
  console.log(`\n[${engine}] ${EVENTS.toLocaleString()} events, batches of 100`);
  if (cases.has('noop'))
    await drain(engine, 'no-op connector, 1 hub', () => noopConnector.connect({ latencyMs: 0 }));
  if (engine === 'postgres' && cases.has('noop2'))
    await drain(engine, 'no-op connector, 2 hubs', () => noopConnector.connect({ latencyMs: 0 }), 1);
  if (cases.has('erp')) {
    const erp = await startTestErp();
    try {
      await drain(engine, 'loopback test ERP, 1 hub', () =>
        testErpConnector.connect({
          baseUrl: erp.url,
          token: erp.token,
          timeoutMs: 10_000,
          referenceLookup: false,
        }),
      );
    } finally {
      await erp.close();
    }
  }
  if (cases.has('latency')) await latencyAt(engine, 200, 10);
}

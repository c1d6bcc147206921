// Reliability R3 at full size: the ERP is down for 60 s while events keep arriving at a steady rate
// (200/s). Prints events created and delivered, lost, duplicate effects, the calls that reached the
// down ERP (about one probe a second is the target), and how long the backlog took to drain after.
// The hub runs as in production, one process for the API and the dispatcher (default retry policy and
// breaker); between it and the loopback test ERP sits the fault proxy, which resets every connection
// during the outage (R3_FAULT=503 makes the ERP itself answer 503 instead).
// Run: npx tsx bench/r3-outage.ts   (R3_RATE, R3_OUTAGE_S, R3_BEFORE_S, R3_AFTER_S to resize)
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { startTestErp, testErpConnector } from '../src/connectors/test-erp/index.js';
import { createCustomer, updateCustomer } from '../src/modules/customers/index.js';
import type { Engine } from '../src/platform/db/index.js';
import { createLogger } from '../src/platform/logging/index.js';
import { setSubscriptions } from '../src/platform/outbox/index.js';
import { buildOutboundFlow, Dispatcher } from '../src/sync/engine/index.js';
import { startFaultProxy } from '../test/support/fault-proxy.js';
import { createTestDatabase } from '../test/support/databases.js';
import { customerMapping } from '../test/sync/sync-mappings.js';
import { benchEngines, benchPgUrl, fmt } from './support.js';

const RATE = Number(process.env.R3_RATE ?? 200);
const OUTAGE_S = Number(process.env.R3_OUTAGE_S ?? 60);
const BEFORE_S = Number(process.env.R3_BEFORE_S ?? 10);
const AFTER_S = Number(process.env.R3_AFTER_S ?? 20);
const FAULT = process.env.R3_FAULT === '503' ? '503' : 'reset';
/**
 * PostgreSQL only: ANALYZE once the pre-outage phase has filled the tables. Servers with autovacuum off
 * (like this machine's) otherwise plan the lease's crosswalk join with no statistics; see bench/README.md.
 */
const ANALYZE = process.env.R3_ANALYZE === '1';
/** One arrival in ten renames an earlier customer, so per-record order is checked through the outage. */
const UPDATE_EVERY = 10;
const DRAIN_TIMEOUT_MS = 300_000;
const quiet = createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Small deterministic PRNG (which customer a rename hits). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(engine: Engine) {
  const loadBefore = load();
  const testDb = await createTestDatabase(engine, { serverUrl: benchPgUrl });
  const erp = await startTestErp();
  const proxy = await startFaultProxy({ targetPort: erp.port });
  const rng = mulberry32(3);
  const db = testDb.handle.db;
  let dispatcher: Dispatcher | undefined;
  try {
    const session = await testErpConnector.connect({
      baseUrl: proxy.url,
      token: erp.token,
      timeoutMs: 10_000,
      referenceLookup: false, // the ERP applies each idempotency key once
    });
    const flow = buildOutboundFlow({
      name: 'r3',
      eventTypes: ['customer.*'],
      connectorName: 'r3-erp',
      session,
      entity: 'customer',
      operation: 'upsert',
      mapping: customerMapping,
      batchSize: 100,
      concurrency: 2,
      // Default retry policy (10 attempts, 1 s → 5 min backoff, full jitter) and default breaker.
    });
    await setSubscriptions(db, { [flow.subscriber]: flow.eventTypes });
    dispatcher = new Dispatcher({ db, flows: [flow], logger: quiet });
    dispatcher.start();

    const countWhere = async (statuses: string[]) =>
      Number(
        (
          await db
            .selectFrom('outbox_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('subscriber', '=', flow.subscriber)
            .where('status', 'in', statuses)
            .executeTakeFirstOrThrow()
        ).n,
      );

    // Arrivals on a fixed schedule (i / RATE seconds after t0) for the whole run; bounded in count.
    const expectedName = new Map<string, string>();
    const ids: string[] = [];
    const total = RATE * (BEFORE_S + OUTAGE_S + AFTER_S);
    const t0 = performance.now();
    let created = 0;
    let arrivalsDone = false;
    const arrivals = (async () => {
      for (let i = 0; i < total; i += 1) {
        const wait = t0 + (i * 1000) / RATE - performance.now();
        if (wait > 0) await sleep(wait);
        if (i % UPDATE_EVERY === UPDATE_EVERY - 1 && ids.length > 0) {
          const id = ids[Math.floor(rng() * ids.length)] as string;
          const name = `R3 renamed ${i}`;
          await updateCustomer(db, id, { name });
          expectedName.set(id, name);
        } else {
          const c = await createCustomer(db, { name: `R3 ${i}`, code: `R3-${i}` });
          ids.push(c.id);
          expectedName.set(c.id, c.name);
        }
        created += 1;
      }
      arrivalsDone = true;
    })();

    await sleep(BEFORE_S * 1000);
    if (ANALYZE && engine === 'postgres') await sql`analyze`.execute(db);
    // The outage. Calls that reach the down ERP: connections the proxy resets (or 503s the ERP sends).
    const callsNow = () =>
      FAULT === 'reset'
        ? proxy.stats().reset
        : erp.requests().filter((r) => r.fault === 'server_error').length;
    const erpRequestsAtOutage = erp.requests().length;
    const breakerAtOutage = flow.breaker.snapshot();
    if (FAULT === 'reset') await proxy.setMode({ kind: 'reset' });
    else erp.faults.failNext(1_000_000, { kind: 'server_error', status: 503 });
    const outageStarted = Date.now();
    const createdAtOutage = created;
    const perSecond: number[] = [];
    let last = callsNow();
    const callsAtOutage = last;
    for (let s = 0; s < OUTAGE_S; s += 1) {
      await sleep(outageStarted + (s + 1) * 1000 - Date.now());
      const now = callsNow();
      perSecond.push(now - last);
      last = now;
    }
    const callsDuringOutage = callsNow() - callsAtOutage;
    const erpRequestsDuringOutage = erp.requests().length - erpRequestsAtOutage;
    const breakerAtRecovery = flow.breaker.snapshot();
    const backlogAtRecovery = await countWhere(['pending', 'in_flight']);
    if (FAULT === 'reset') await proxy.setMode({ kind: 'pass' });
    else erp.faults.clear();
    const recoveredAt = Date.now();
    const createdDuringOutage = created - createdAtOutage;

    // Backlog back to normal: at most one second of arrivals waiting (sampled every 250 ms).
    let backToNormalMs: number | undefined;
    const deadline = recoveredAt + DRAIN_TIMEOUT_MS;
    const curve: string[] = []; // backlog every 5 s after the recovery
    while (Date.now() < deadline) {
      const backlog = await countWhere(['pending', 'in_flight']);
      if (backToNormalMs === undefined && backlog <= RATE) backToNormalMs = Date.now() - recoveredAt;
      if (Date.now() - recoveredAt >= curve.length * 5000 && curve.length <= 24) curve.push(String(backlog));
      if (arrivalsDone && backlog === 0) break;
      await sleep(250);
    }
    await arrivals;
    await dispatcher.stop();

    // Every event committed before the recovery: when was the last of them delivered?
    const rows = await db
      .selectFrom('outbox_deliveries')
      .select(['event_time', 'delivered_at', 'status'])
      .where('subscriber', '=', flow.subscriber)
      .execute();
    let lastOldDelivered = recoveredAt;
    for (const r of rows)
      if (Date.parse(r.event_time) <= recoveredAt && r.delivered_at)
        lastOldDelivered = Math.max(lastOldDelivered, Date.parse(r.delivered_at));
    const delivered = rows.filter((r) => r.status === 'delivered').length;
    // Which records paid for the outage: failed attempts per record while the ERP was down.
    const failedAttempts = await db
      .selectFrom('sync_attempts')
      .select(['delivery_id', 'started_at'])
      .where('flow', '=', flow.name)
      .where('outcome', '!=', 'delivered')
      .execute();
    const perRecord = new Map<number, number>();
    for (const a of failedAttempts) {
      const at = Date.parse(a.started_at);
      if (at >= outageStarted && at <= recoveredAt)
        perRecord.set(Number(a.delivery_id), (perRecord.get(Number(a.delivery_id)) ?? 0) + 1);
    }
    const worst = [...perRecord.values()].sort((a, b) => b - a);
    const deadRows = await db
      .selectFrom('outbox_deliveries')
      .select(['id', 'attempts', 'last_error_class', 'last_error', 'event_time'])
      .where('subscriber', '=', flow.subscriber)
      .where('status', '=', 'dead')
      .execute();
    for (const d of deadRows)
      console.log(
        `  dead letter ${d.id}: ${d.attempts} attempts, created ${fmt((Date.parse(d.event_time) - outageStarted) / 1000)} s ` +
          `after the outage began: ${d.last_error_class}: ${d.last_error}`,
      );
    const dead = rows.filter((r) => r.status === 'dead').length;

    const byReference = new Map<string, number>();
    const all = erp.store.all('customer');
    for (const record of all)
      if (record.reference) byReference.set(record.reference, (byReference.get(record.reference) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    let wrongFinalState = 0;
    for (const [id, name] of expectedName) {
      const count = byReference.get(id) ?? 0;
      if (count === 0) lost += 1;
      if (count > 1) duplicated += count - 1;
      const record = erp.store.findByReference('customer', id);
      if (record && record.data.name !== name) wrongFinalState += 1;
    }
    // Effects the ERP applied beyond one per event (a replayed idempotency key is not an effect).
    const extraEffects = (erp.store.effects.get('customer') ?? 0) - created;
    const steady = perSecond.slice(5);
    console.log(
      `[${engine}${ANALYZE && engine === 'postgres' ? ', analyzed' : ''}] ERP down ${OUTAGE_S} s (${FAULT}) at ${RATE} events/s: ${created} events created ` +
        `(${createdDuringOutage} during the outage), ${delivered} delivered, ${dead} dead, lost ${lost}, ` +
        `duplicated ${duplicated}, extra ERP effects ${extraEffects}, wrong final state ${wrongFinalState}`,
    );
    console.log(
      `  calls reaching the down ERP: ${callsDuringOutage} in ${OUTAGE_S} s (first 5 s ${perSecond
        .slice(0, 5)
        .reduce(
          (a, b) => a + b,
          0,
        )}, then ${fmt(steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length), 2)}/s, ` +
        `max ${Math.max(...steady, 0)} in one second); ERP requests during the outage ${erpRequestsDuringOutage}; ` +
        `breaker probes ${breakerAtRecovery.probes - breakerAtOutage.probes}, refusals ${breakerAtRecovery.rejected - breakerAtOutage.rejected}`,
    );
    console.log(
      `  backlog at recovery ${backlogAtRecovery}; back to ≤ 1 s of arrivals after ` +
        `${backToNormalMs === undefined ? 'never' : `${fmt(backToNormalMs / 1000, 1)} s`}; ` +
        `last event from before the recovery delivered ${fmt((lastOldDelivered - recoveredAt) / 1000, 1)} s after it`,
    );
    console.log(`  backlog every 5 s from the recovery: ${curve.join(' ')}`);
    console.log(
      `  failed attempts during the outage: ${worst.reduce((a, b) => a + b, 0)} on ${perRecord.size} records; ` +
        `most on one record: ${worst.slice(0, 5).join(', ')}`,
    );
    console.log(`  load average ${loadBefore} before, ${load()} after (2 cores)`);
  } finally {
    await dispatcher?.stop();
    await proxy.close();
    await erp.close();
    await testDb.drop();
  }
}

for (const engine of benchEngines()) await run(engine);

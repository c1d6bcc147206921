// Issue 2 benchmark: customer creates through the service layer and through the HTTP API, on SQLite and
// PostgreSQL; records/s, p95 latency, peak RSS, and the outbox insert's share of a write.
// Run: npx tsx bench/customer-writes.ts   (FIELDSYNC_BENCH_ENGINES=sqlite to skip PostgreSQL)
import { createCustomer } from '../src/modules/customers/index.js';
import { inTransaction } from '../src/platform/outbox/index.js';
import { newId } from '../src/shared/ids.js';
import { startTestHubFor } from './hub-for-bench.js';
import { benchEngines, benchPgUrl, fmt, latencySummary, trackPeakRss } from './support.js';
import { createTestDatabase } from '../test/support/databases.js';

const N = Number(process.env.BENCH_N ?? 3000);
const HTTP_CONCURRENCY = 8;

function customerInput(i: number) {
  return {
    name: `Bench customer ${i}`,
    code: `B-${i}-${newId().slice(-6)}`,
    sites: [{ name: 'Main', line1: `Street ${i}`, city: 'Gent', country: 'BE', region: 'north' }],
    contacts: [{ name: `Contact ${i}`, email: `c${i}@example.com` }],
  };
}

function rawRow(i: number) {
  const now = new Date().toISOString();
  return {
    id: newId(),
    code: `R-${i}-${newId().slice(-6)}`,
    name: `Raw ${i}`,
    legal_name: null,
    tax_id: null,
    email: null,
    phone: null,
    currency: 'EUR',
    status: 'active',
    external_refs: '{}',
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

async function timed(n: number, run: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    await run(i);
    samples.push(performance.now() - t);
  }
  return {
    perSecond: n / ((performance.now() - started) / 1000),
    ...latencySummary(samples),
    meanMs: samples.reduce((a, b) => a + b, 0) / n,
  };
}

for (const engine of benchEngines()) {
  const testDb = await createTestDatabase(engine, { serverUrl: benchPgUrl });
  const rss = trackPeakRss();
  try {
    const db = testDb.handle.db;
    const service = await timed(N, (i) => createCustomer(db, customerInput(i)));
    // Outbox share: the same single-row write in a transaction, with and without its event.
    const bare = await timed(N, (i) =>
      inTransaction(db, (uow) => uow.tx.insertInto('customers').values(rawRow(i)).execute()),
    );
    const withEvent = await timed(N, (i) =>
      inTransaction(db, async (uow) => {
        const row = rawRow(i + N);
        await uow.tx.insertInto('customers').values(row).execute();
        await uow.emit({ type: 'customer.created', subject: `customer/${row.id}`, data: { customer: row } });
      }),
    );
    const eventMs = withEvent.meanMs - bare.meanMs;
    const share = eventMs / withEvent.meanMs;
    const shareOfCreate = eventMs / service.meanMs;

    const { hub, token } = await startTestHubFor(testDb);
    const samples: number[] = [];
    let next = 0;
    const httpStarted = performance.now();
    await Promise.all(
      Array.from({ length: HTTP_CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          const t = performance.now();
          const res = await fetch(`${hub.server.url}/v1/customers`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(customerInput(i + 10 * N)),
          });
          await res.arrayBuffer();
          if (res.status !== 201) throw new Error(`HTTP ${res.status}`);
          samples.push(performance.now() - t);
        }
      }),
    );
    const httpRate = N / ((performance.now() - httpStarted) / 1000);
    const http = latencySummary(samples);
    await hub.stop();
    const peak = rss.stop();

    console.log(`\n[${engine}] ${N} customer creates (1 site, 1 contact, 1 outbox event each)`);
    console.log(
      `  service layer : ${fmt(service.perSecond, 0)} rec/s  p50 ${fmt(service.p50, 2)} ms  p95 ${fmt(service.p95, 2)} ms`,
    );
    console.log(
      `  HTTP API (${HTTP_CONCURRENCY} conc.): ${fmt(httpRate, 0)} rec/s  p50 ${fmt(http.p50, 2)} ms  p95 ${fmt(http.p95, 2)} ms`,
    );
    console.log(
      `  outbox event  : ${fmt(eventMs, 3)} ms each = ${fmt(shareOfCreate * 100)}% of a customer create (${fmt(service.meanMs, 3)} ms)`,
    );
    console.log(
      `                  ${fmt(share * 100)}% of a bare one-row write (${fmt(bare.meanMs, 3)} → ${fmt(withEvent.meanMs, 3)} ms)`,
    );
    console.log(`  peak RSS      : ${fmt(peak, 0)} MiB`);
  } finally {
    await testDb.drop();
  }
}

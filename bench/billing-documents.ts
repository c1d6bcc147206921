// Issue 4 benchmark: generate and persist billing documents for N completed work orders of 10 lines each
// (3 labor groups: normal, overtime, travel; 6 parts, one priced by category; a call-out fee) under a
// contract with discounts, coverage, two caps and partly expired warranties, through the documented path
// billCompletedWorkOrders (load facts → adapter → engine → document, lines, cap ledger, outbox event; one
// transaction per work order). Reports documents per second and peak RSS, on SQLite and PostgreSQL (its
// own uniquely named database, dropped afterwards). The work orders are set up through the real modules
// first; only billing is timed.
// Run: npx tsx bench/billing-documents.ts
//   BENCH_N=500 (default; about a minute per engine with setup) completed work orders to bill
//   FIELDSYNC_BENCH_ENGINES=sqlite   only SQLite
//   BENCH_SETUP_CONCURRENCY=8        PostgreSQL workers completing work orders during setup
import pLimit from 'p-limit';
import { billCompletedWorkOrders } from '../src/modules/billing/index.js';
import { createBillingContract, createBillingWorld } from '../src/modules/billing/testing/billing-world.js';
import { updatePriceList } from '../src/modules/contracts/index.js';
import { createItem } from '../src/modules/items/index.js';
import { postReceipt } from '../src/modules/stock/index.js';
import {
  addLabor,
  addPart,
  completeWorkOrder,
  createWorkOrder,
  scheduleWorkOrder,
  setTypePolicy,
  startWorkOrder,
} from '../src/modules/work-orders/index.js';
import type { Db } from '../src/platform/outbox/index.js';
import { createTestDatabase } from '../test/support/databases.js';
import { benchEngines, benchPgUrl, fmt, trackPeakRss } from './support.js';

const N = Number(process.env.BENCH_N ?? 500);
const SETUP_CONCURRENCY = Number(process.env.BENCH_SETUP_CONCURRENCY ?? 8);
const HOUR = 3_600_000;

async function seed(db: Db) {
  const w = await createBillingWorld(db, {
    warrantyPartsUntil: '2025-03-31',
    warrantyLaborUntil: '2025-01-31',
  });
  // Signatures are the work-orders module's business; they add nothing to what billing reads.
  await setTypePolicy(db, 'corrective', { signatureRequired: false });
  const gasket = await createItem(db, {
    sku: `GSK-${w.tag}`,
    name: 'Gasket',
    category: 'seals',
    listPrice: '3',
    costPrice: '1.10',
  });
  const hose = await createItem(db, {
    sku: `HOSE-${w.tag}`,
    name: 'Hose',
    category: 'hoses',
    listPrice: '9',
    costPrice: '4.00',
    unit: 'm',
  });
  await updatePriceList(db, w.defaultList.id, { items: { [gasket.id]: '3.20', [hose.id]: '8.75' } });
  const parts: [string, string][] = [
    [w.items.filter, '1'],
    [w.items.belt, '1'],
    [w.items.oil, '0.75'],
    [w.items.valve, '1'],
    [gasket.id, '4'],
    [hose.id, '1.5'],
  ];
  for (const [itemId] of parts)
    await postReceipt(db, { itemId, warehouseId: w.vanId, quantity: String(N * 5) });
  const contractId = await createBillingContract(db, w, [
    {
      validFrom: '2024-01-01',
      coverage: {
        corrective: {
          laborCoveredPct: '50',
          partsCoveredPct: '80',
          excludedCategories: ['consumables'],
          travelCovered: true,
        },
      },
      discounts: { partsPct: '10', laborPct: '5' },
      caps: [
        { kind: 'parts', amount: '2000.00', period: 'month' },
        { kind: 'total', amount: '50000.00', period: 'year' },
      ],
    },
  ]);
  return { w, parts, contractId };
}

async function completeOne(db: Db, world: Awaited<ReturnType<typeof seed>>, n: number) {
  const { w, parts, contractId } = world;
  // Spread over January–June 2025 so warranties and monthly caps vary between documents.
  const done = Date.parse('2025-01-02T16:00:00Z') + (n % 178) * 24 * HOUR;
  const at = (h: number) => new Date(done - h * HOUR).toISOString();
  const wo = await createWorkOrder(db, {
    type: 'corrective',
    title: `Breakdown ${n}`,
    customerId: w.customerId,
    assetIds: [w.assetId],
    contractId,
    reportedAt: at(5),
    checklistTemplateId: null,
  });
  await scheduleWorkOrder(db, wo.id, {
    technicianId: w.technicianId,
    plannedStart: at(4),
    plannedEnd: at(1),
  });
  await startWorkOrder(db, wo.id, at(4));
  await addLabor(db, wo.id, { durationMinutes: 50 + (n % 40) });
  await addLabor(db, wo.id, { laborType: 'overtime', durationMinutes: 20 });
  await addLabor(db, wo.id, { laborType: 'travel', durationMinutes: 35, billable: n % 2 === 0 });
  for (const [itemId, quantity] of parts) await addPart(db, wo.id, { itemId, quantity });
  await completeWorkOrder(db, wo.id, { completedAt: at(0) });
}

console.log(`billing documents: ${N} completed work orders × 10 lines (3 labor, 6 parts, call-out)`);
for (const engine of benchEngines()) {
  const testDb = await createTestDatabase(engine, { serverUrl: benchPgUrl });
  try {
    const db = testDb.handle.db;
    const setupStart = performance.now();
    const world = await seed(db);
    const since = new Date(Date.now() - 1000).toISOString();
    const limit = pLimit(engine === 'postgres' ? SETUP_CONCURRENCY : 1);
    await Promise.all(Array.from({ length: N }, (_, n) => limit(() => completeOne(db, world, n))));
    const setupSeconds = (performance.now() - setupStart) / 1000;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss / (1024 * 1024);
    const rss = trackPeakRss();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await billCompletedWorkOrders(db, { since }, { policy: { callOutFor: ['corrective'] } });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuMsPerDoc = (used.user + used.system) / 1000 / N;
    const peak = rss.stop();
    const lines = await db
      .selectFrom('billing_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const net = await db
      .selectFrom('billing_documents')
      .select((eb) => eb.fn.sum<number>('net_minor').as('net'))
      .executeTakeFirstOrThrow();
    if (result.created.length !== N || result.failed.length > 0) {
      throw new Error(
        `expected ${N} documents, got ${result.created.length} (${result.failed.length} failed: ${result.failed[0]?.message})`,
      );
    }
    console.log(
      `${engine.padEnd(8)} setup ${fmt(setupSeconds)} s | billed ${N} documents (${Number(lines.n)} lines) in ${fmt(seconds, 2)} s = ${fmt(N / seconds)} documents/s, ` +
        `${fmt(Number(lines.n) / seconds, 0)} lines/s, hub CPU ${fmt(cpuMsPerDoc, 2)} ms/document | RSS before ${fmt(rssBefore, 0)} MiB, peak ${fmt(peak, 0)} MiB | net total ${fmt(Number(net.net) / 100, 2)} EUR`,
    );
  } finally {
    await testDb.drop();
  }
}

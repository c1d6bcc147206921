// Issue 3 benchmark: a realistic field-service day at scale, through the services only.
// Seeds 5,000 assets, 200 technicians with stocked vans and 2,000 scheduled corrective work orders, then
// executes every one (start, 3 labor entries, 4 parts posted from the van, checklist, signature,
// completion) and reports work orders completed per second and peak RSS, on SQLite and PostgreSQL
// (its own uniquely named database, dropped afterwards).
// Run: npx tsx bench/work-orders-day.ts
//   FIELDSYNC_BENCH_ENGINES=sqlite   only SQLite;  BENCH_WO=200 BENCH_ASSETS=500 BENCH_TECHS=20  a smaller day
//   BENCH_CONCURRENCY=8             PostgreSQL workers executing work orders in parallel (SQLite has one writer)
import { createAsset } from '../src/modules/assets/index.js';
import { activateContract, createContract } from '../src/modules/contracts/index.js';
import { createCustomer } from '../src/modules/customers/index.js';
import { createItem } from '../src/modules/items/index.js';
import { createWarehouse, postReceipt } from '../src/modules/stock/index.js';
import { createTechnician } from '../src/modules/technicians/index.js';
import {
  addLabor,
  addPart,
  answerChecklist,
  completeWorkOrder,
  createChecklistTemplate,
  createWorkOrder,
  getServiceReport,
  scheduleWorkOrder,
  signWorkOrder,
  startWorkOrder,
} from '../src/modules/work-orders/index.js';
import { TINY_PNG_BASE64 } from '../src/modules/work-orders/testing/field-fixtures.js';
import type { Db } from '../src/platform/outbox/index.js';
import { createTestDatabase } from '../test/support/databases.js';
import { benchEngines, benchPgUrl, fmt, latencySummary, trackPeakRss } from './support.js';

const WORK_ORDERS = Number(process.env.BENCH_WO ?? 2000);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 5000);
const TECHNICIANS = Number(process.env.BENCH_TECHS ?? 200);
const CUSTOMERS = Math.max(1, Math.round(ASSETS / 50));
const REGIONS = 10;
const PG_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const HOUR = 3_600_000;

interface World {
  assets: { id: string; customerId: string; contractId: string }[];
  technicians: string[];
  parts: string[];
  workOrders: string[];
}

async function seed(db: Db, tag: string): Promise<World> {
  const parts: string[] = [];
  for (const [i, name] of ['Filter', 'Belt', 'Gasket', 'Oil'].entries()) {
    parts.push(
      (await createItem(db, { sku: `P${i}-${tag}`, name, category: name.toLowerCase(), listPrice: '12.50' }))
        .id,
    );
  }
  const machine = await createItem(db, {
    sku: `M-${tag}`,
    name: 'Compressor',
    category: 'machines',
    listPrice: '9000',
  });
  await createChecklistTemplate(db, {
    name: 'Corrective visit',
    defaultForType: 'corrective',
    items: [
      { key: 'safe', label: 'Left in a safe state', kind: 'pass_fail', required: true },
      { key: 'pressure', label: 'Pressure', kind: 'number', min: 0, max: 16, unit: 'bar', required: true },
      { key: 'notes', label: 'Notes', kind: 'text' },
    ],
  });
  const customers: { id: string; siteId: string; contractId: string }[] = [];
  for (let c = 0; c < CUSTOMERS; c += 1) {
    const customer = await createCustomer(db, {
      name: `Customer ${c}`,
      sites: [
        { name: 'Plant', line1: `Street ${c}`, city: 'Gent', country: 'BE', region: `R${c % REGIONS}` },
      ],
    });
    const contract = await createContract(db, {
      number: `C-${c}-${tag}`,
      customerId: customer.id,
      initialVersion: {
        validFrom: '2020-01-01',
        coverage: { corrective: { laborCoveredPct: '50', partsCoveredPct: '50' } },
        sla: {
          responseHours: 8,
          resolutionHours: 48,
          byPriority: { urgent: { responseHours: 2, resolutionHours: 8 } },
        },
      },
    });
    await activateContract(db, contract.id);
    customers.push({ id: customer.id, siteId: customer.sites[0]?.id ?? '', contractId: contract.id });
  }
  const assets: World['assets'] = [];
  for (let a = 0; a < ASSETS; a += 1) {
    const customer = customers[a % customers.length];
    if (!customer) throw new Error('no customer');
    const asset = await createAsset(db, {
      serialNumber: `SN-${a}-${tag}`,
      itemId: machine.id,
      customerId: customer.id,
      siteId: customer.siteId,
    });
    assets.push({ id: asset.id, customerId: customer.id, contractId: customer.contractId });
  }
  const perTechnician = Math.ceil(WORK_ORDERS / TECHNICIANS);
  const technicians: string[] = [];
  for (let t = 0; t < TECHNICIANS; t += 1) {
    const van = await createWarehouse(db, {
      code: `VAN-${t}-${tag}`,
      name: `Van ${t}`,
      kind: 'van',
      region: `R${t % REGIONS}`,
    });
    for (const itemId of parts)
      await postReceipt(db, { itemId, warehouseId: van.id, quantity: String(perTechnician * 2) });
    const technician = await createTechnician(db, {
      code: `T-${t}-${tag}`,
      name: `Technician ${t}`,
      region: `R${t % REGIONS}`,
      homeVanWarehouseId: van.id,
      costRate: { amount: '45', currency: 'EUR' },
    });
    technicians.push(technician.id);
  }
  const workOrders: string[] = [];
  const now = Date.now();
  for (let w = 0; w < WORK_ORDERS; w += 1) {
    const asset = assets[(w * 7) % assets.length];
    if (!asset) throw new Error('no asset');
    const wo = await createWorkOrder(db, {
      type: 'corrective',
      priority: w % 10 === 0 ? 'urgent' : 'normal',
      title: `Breakdown ${w}`,
      customerId: asset.customerId,
      assetIds: [asset.id],
      contractId: asset.contractId,
      reportedAt: new Date(now - 10 * HOUR).toISOString(),
    });
    await scheduleWorkOrder(db, wo.id, {
      technicianId: technicians[w % technicians.length] ?? '',
      plannedStart: new Date(now - 8 * HOUR).toISOString(),
      plannedEnd: new Date(now - 6 * HOUR).toISOString(),
    });
    workOrders.push(wo.id);
  }
  return { assets, technicians, parts, workOrders };
}

/** One technician visit: everything a work order goes through from arrival to completion. */
async function execute(db: Db, world: World, id: string, n: number): Promise<void> {
  const t0 = Date.now() - 6 * HOUR;
  await startWorkOrder(db, id, new Date(t0).toISOString());
  await addLabor(db, id, { laborType: 'travel', durationMinutes: 35, billable: false });
  await addLabor(db, id, {
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date(t0 + 1.5 * HOUR).toISOString(),
  });
  await addLabor(db, id, { laborType: 'overtime', durationMinutes: 20 });
  for (const [i, itemId] of world.parts.entries())
    await addPart(db, id, { itemId, quantity: i === 3 ? '0.5' : '1' });
  await answerChecklist(db, id, {
    answers: [
      { key: 'safe', value: 'pass' },
      { key: 'pressure', value: 7 + (n % 5) },
    ],
  });
  const { reportHash } = await getServiceReport(db, id);
  await signWorkOrder(db, id, { signerName: `Customer ${n}`, imagePngBase64: TINY_PNG_BASE64, reportHash });
  await completeWorkOrder(db, id, { completedAt: new Date(t0 + 2 * HOUR).toISOString() });
}

async function executeAll(db: Db, world: World, concurrency: number) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const n = next;
      next += 1;
      const id = world.workOrders[n];
      if (id === undefined) return;
      const t = performance.now();
      await execute(db, world, id, n);
      samples.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: world.workOrders.length / seconds, ...latencySummary(samples) };
}

console.log(
  `work-orders day: ${ASSETS} assets, ${TECHNICIANS} technicians, ${WORK_ORDERS} work orders × (3 labor + 4 parts + checklist + signature)`,
);
for (const engine of benchEngines()) {
  const testDb = await createTestDatabase(engine, { serverUrl: benchPgUrl });
  const rss = trackPeakRss();
  try {
    const db = testDb.handle.db;
    const seedStart = performance.now();
    const world = await seed(db, `${engine}-${process.pid}`);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const concurrency = engine === 'postgres' ? PG_CONCURRENCY : 1;
    const run = await executeAll(db, world, concurrency);
    const completed = await db
      .selectFrom('work_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'completed')
      .executeTakeFirstOrThrow();
    const issues = await db
      .selectFrom('stock_movements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'issue')
      .executeTakeFirstOrThrow();
    if (Number(completed.n) !== WORK_ORDERS || Number(issues.n) !== WORK_ORDERS * 4) {
      throw new Error(
        `expected ${WORK_ORDERS} completed and ${WORK_ORDERS * 4} issues, got ${String(completed.n)} and ${String(issues.n)}`,
      );
    }
    console.log(
      `${engine.padEnd(8)} seed ${fmt(seedSeconds)} s | execute ${fmt(run.seconds)} s with ${concurrency} worker(s): ` +
        `${fmt(run.perSecond)} WO completed/s (${fmt(run.perSecond * 11)} service writes/s), per WO p50 ${fmt(run.p50)} ms p95 ${fmt(run.p95)} ms | peak RSS ${fmt(rss.stop(), 0)} MiB`,
    );
  } finally {
    rss.stop();
    await testDb.drop();
  }
}

/**
 * Pricing engine benchmark: prices N work orders of 10 lines each (2 labor groups from 3 entries, 6 parts,
 * call-out and distance) under a contract with caps, warranties, a 5,000-item default list and a customer
 * list, and prints documents per second and peak memory.
 *
 *   npx tsx bench/pricing.ts [--count 100000] [--validate-count 10000]
 *
 * Inputs come from a seeded generator (same numbers every run) and are built before the clock starts; a pool
 * of distinct inputs is cycled so input memory stays small and the figure is the engine's, not the builder's.
 * Documents are checked (10 lines, lines sum to net) and dropped, as a streaming caller would.
 */
import { Decimal } from 'decimal.js';
import { parsePricingInput, priceWorkOrder } from '../src/modules/billing/pricing/index.js';
import type { PriceList, PricingInput, WorkOrderType } from '../src/modules/billing/pricing/index.js';
import {
  contractC1042,
  customerPriceList,
  defaultPolicy,
} from '../src/modules/billing/pricing/testing/fixtures.js';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const COUNT = arg('--count', 100_000);
const VALIDATE_COUNT = arg('--validate-count', 10_000);
const POOL = 2_000;
const ITEMS = 5_000;

// mulberry32: a tiny seeded PRNG so every run prices the same work orders.
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(42);
const int = (max: number) => Math.floor(rand() * max);
const cents = (max: number) => new Decimal(int(max * 100)).div(100).toFixed(2);

const categories = ['filters', 'belts', 'consumables', 'electronics', 'valves'];
const defaultList: PriceList = {
  id: 'STD-2026',
  currency: 'EUR',
  laborRates: { standard: '80.00', specialist: '120.00', night: '140.00' },
  items: Object.fromEntries(Array.from({ length: ITEMS }, (_, i) => [`itm-${i}`, cents(500)])),
  callOutFee: '45.00',
  perKmRate: '0.80',
};
const customerList: PriceList = {
  ...customerPriceList(),
  items: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`itm-${i * 10}`, cents(400)])),
};
const contract = contractC1042();
contract.coverage.inspection = { laborCoveredPct: '100', partsCoveredPct: '50', travelCovered: true };
contract.discounts = { partsPct: '10', laborPct: '5' };
contract.caps = [
  {
    id: 'all-month',
    period: 'month',
    limit: { amount: '900.00', currency: 'EUR' },
    appliesTo: ['labor', 'part', 'fee'],
  },
  { id: 'parts-year', period: 'year', limit: { amount: '5000.00', currency: 'EUR' }, appliesTo: ['part'] },
];
const types: WorkOrderType[] = ['preventive', 'corrective', 'installation', 'inspection'];

function makeInput(n: number): PricingInput {
  const month = String(1 + int(12)).padStart(2, '0');
  const day = String(1 + int(28)).padStart(2, '0');
  const assetId = `ast-${int(50)}`;
  return {
    workOrder: {
      id: `wo-${n}`,
      number: `WO-${n}`,
      type: types[int(types.length)]!,
      completedAt: `2026-${month}-${day}T${String(7 + int(12)).padStart(2, '0')}:15:00+01:00`,
      customerId: 'cus-acme',
      assetId,
      labor: [
        { technicianId: 't1', laborType: 'standard', minutes: 5 + int(240), billable: true },
        { technicianId: 't2', laborType: 'standard', minutes: 5 + int(120), billable: true },
        { technicianId: 't2', laborType: 'specialist', minutes: 5 + int(90), billable: rand() < 0.9 },
      ],
      parts: Array.from({ length: 6 }, () => ({
        itemId: `itm-${int(ITEMS)}`,
        sku: `SKU-${int(ITEMS)}`,
        category: categories[int(categories.length)]!,
        quantity: new Decimal(1 + int(4000)).div(1000).toFixed(),
      })),
      travel: { callOut: true, distanceKm: new Decimal(int(80_000)).div(1000).toFixed() },
    },
    priceLists: { default: defaultList, customer: customerList },
    contract,
    capUsage: [
      { capId: 'all-month', periodKey: `2026-${month}`, consumed: { amount: cents(800), currency: 'EUR' } },
      { capId: 'parts-year', periodKey: '2026', consumed: { amount: cents(4000), currency: 'EUR' } },
    ],
    warranties: {
      [assetId]: { partsUntil: `2026-${String(1 + int(12)).padStart(2, '0')}-15`, laborUntil: null },
    },
    policy: { ...defaultPolicy(), warrantyPrecedence: rand() < 0.5 ? 'warranty_first' : 'contract_first' },
  };
}

const pool = Array.from({ length: POOL }, (_, i) => makeInput(i));
const rssBefore = process.memoryUsage().rss;
let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
function sample(): void {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
}

function run(count: number, validate: boolean): { seconds: number; net: Decimal } {
  let net = new Decimal(0);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const input = pool[i % POOL]!;
    const doc = priceWorkOrder(validate ? parsePricingInput(input) : input);
    if (doc.lines.length !== 10) throw new Error(`expected 10 lines, got ${doc.lines.length}`);
    net = net.plus(doc.totals.net.amount);
    if (i % 1000 === 0) sample();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  sample();
  return { seconds, net };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
run(2_000, false); // warm-up: JIT and inline caches, not counted
const main = run(COUNT, false);
console.log(`pricing: ${COUNT} work orders × 10 lines in ${main.seconds.toFixed(2)} s`);
console.log(
  `  ${Math.round(COUNT / main.seconds)} documents/s, ${Math.round((COUNT * 10) / main.seconds)} lines/s, ${((main.seconds / COUNT) * 1e6).toFixed(1)} µs/document`,
);
console.log(`  net total of all documents: ${main.net.toFixed(2)} EUR (a checksum: identical on every run)`);
if (VALIDATE_COUNT > 0) {
  const checked = run(VALIDATE_COUNT, true);
  console.log(
    `with parsePricingInput (zod) first: ${Math.round(VALIDATE_COUNT / checked.seconds)} documents/s over ${VALIDATE_COUNT} (5,000-item price list validated each time)`,
  );
}
console.log(`RSS with inputs built, before pricing: ${mb(rssBefore)}`);
console.log(`peak RSS (sampled every 1,000 documents): ${mb(peakRss)}; peak heap used: ${mb(peakHeap)}`);
console.log(`process maxRSS (resourceUsage): ${mb(process.resourceUsage().maxRSS * 1024)}`);
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);

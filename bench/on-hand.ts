/**
 * On-hand benchmark (Fieldsync issue 3): 10,000 items × 50 warehouses = 500,000 item × warehouse pairs.
 * Seeds items, warehouses and one opening-balance ledger row per pair, then times
 *   - getOnHand for all pairs (read from the maintained stock_levels table),
 *   - recomputeOnHand for all pairs (SUM over the ledger),
 *   - verifyLedgerConsistency (levels vs. ledger, full compare),
 *   - getOnHand for one pair / one item / one warehouse, and postings of single issues.
 * Usage: npx tsx bench/on-hand.ts [--items 10000] [--warehouses 50] [--engines sqlite,postgres] [--runs 3]
 * PostgreSQL: FIELDSYNC_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); a uniquely named
 * database is created and dropped.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createItem } from '../src/modules/items/index.js';
import {
  createWarehouse,
  getOnHand,
  issueToWorkOrder,
  loadOpeningBalances,
  recomputeOnHand,
  verifyLedgerConsistency,
} from '../src/modules/stock/index.js';
import type { DbHandle, Engine } from '../src/platform/db/index.js';
import { migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { inTransaction } from '../src/platform/outbox/index.js';

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
const itemCount = Number(arg('items', '10000'));
const warehouseCount = Number(arg('warehouses', '50'));
const runs = Number(arg('runs', '3'));
const engines = arg('engines', 'sqlite,postgres').split(',') as Engine[];
const pgServer = process.env.FIELDSYNC_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgServer });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function openStore(engine: Engine): Promise<{ handle: DbHandle; drop: () => Promise<void> }> {
  const name = `fs_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (engine === 'postgres') {
    await adminQuery(`create database ${name}`);
    const url = new URL(pgServer);
    url.pathname = `/${name}`;
    const handle = openDatabase({ url: url.toString() });
    return {
      handle,
      drop: async () => {
        await handle.close();
        await adminQuery(`drop database if exists ${name} with (force)`);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldsync-bench-'));
  const handle = openDatabase({ url: `sqlite:${path.join(dir, `${name}.db`)}` });
  return {
    handle,
    drop: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function best<T>(work: () => Promise<T>): Promise<{ best: number; median: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i += 1) {
    const t = await timed(work);
    times.push(t.ms);
    result = t.result;
  }
  times.sort((a, b) => a - b);
  return { best: times[0] ?? 0, median: times[Math.floor(times.length / 2)] ?? 0, result: result as T };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

async function benchEngine(engine: Engine): Promise<void> {
  const { handle, drop } = await openStore(engine);
  const db = handle.db;
  try {
    await migrateToLatest(handle);
    console.log(`\n== ${engine}: ${itemCount.toLocaleString()} items × ${warehouseCount} warehouses ==`);

    // Items go through the items module, 500 per transaction; PostgreSQL takes several batches at once.
    const seedItems = await timed(async () => {
      const ids: string[] = new Array<string>(itemCount);
      const batch = async (start: number) =>
        inTransaction(db, async (uow) => {
          for (let i = start; i < Math.min(itemCount, start + 500); i += 1) {
            ids[i] = (
              await createItem(uow, {
                sku: `BENCH-${i}`,
                name: `Part ${i}`,
                category: 'bench',
                listPrice: '1',
              })
            ).id;
          }
        });
      const starts = Array.from({ length: Math.ceil(itemCount / 500) }, (_, k) => k * 500);
      const parallel = engine === 'postgres' ? 5 : 1;
      for (let k = 0; k < starts.length; k += parallel)
        await Promise.all(starts.slice(k, k + parallel).map(batch));
      return ids;
    });
    const warehouses = await timed(async () => {
      const ids: string[] = [];
      for (let w = 0; w < warehouseCount; w += 1) {
        const kind = w === 0 ? 'central' : w < 5 ? 'regional' : 'van';
        ids.push(
          (
            await createWarehouse(db, {
              code: `WH-${w}`,
              name: `Warehouse ${w}`,
              kind,
              region: `region-${w % 5}`,
            })
          ).id,
        );
      }
      return ids;
    });
    const pairs = seedItems.result.flatMap((itemId, i) =>
      warehouses.result.map((warehouseId, w) => ({
        itemId,
        warehouseId,
        quantity: String(((i * 7 + w * 13) % 97) + 1),
      })),
    );
    const seed = await timed(() => loadOpeningBalances(db, pairs, { reference: 'bench' }));
    console.log(
      `seed: items ${fmt(seedItems.ms)}, warehouses ${fmt(warehouses.ms)}, ${pairs.length.toLocaleString()} ledger rows + levels ${fmt(seed.ms)}`,
    );
    // After a bulk load autovacuum would soon refresh statistics and the visibility map; do it now.
    if (engine === 'postgres') await sql`vacuum analyze`.execute(db);

    const all = await best(() => getOnHand(db));
    const recompute = await best(() => recomputeOnHand(db));
    if (
      all.result.length !== pairs.length ||
      JSON.stringify(all.result) !== JSON.stringify(recompute.result)
    ) {
      throw new Error(
        `getOnHand (${all.result.length}) and recomputeOnHand (${recompute.result.length}) disagree`,
      );
    }
    const consistency = await best(() => verifyLedgerConsistency(db));
    if (!consistency.result.consistent) throw new Error('ledger and levels disagree after seeding');

    const someItem = seedItems.result[Math.floor(itemCount / 2)] ?? '';
    const someWarehouse = warehouses.result[warehouseCount - 1] ?? '';
    const onePair = await timed(async () => {
      for (let i = 0; i < 1000; i += 1) await getOnHand(db, { itemId: someItem, warehouseId: someWarehouse });
    });
    const oneItem = await best(() => getOnHand(db, { itemId: someItem }));
    const oneWarehouse = await best(() => getOnHand(db, { warehouseId: someWarehouse }));
    const issues = await timed(async () => {
      for (let i = 0; i < 200; i += 1) {
        const itemId = seedItems.result[i] ?? '';
        await issueToWorkOrder(db, {
          itemId,
          warehouseId: someWarehouse,
          quantity: '1',
          workOrderId: `bench-wo-${i}`,
        });
      }
    });

    console.log(
      `getOnHand, all ${all.result.length.toLocaleString()} pairs:     best ${fmt(all.best)}, median ${fmt(all.median)} (${runs} runs)`,
    );
    console.log(
      `recomputeOnHand from ledger, all pairs: best ${fmt(recompute.best)}, median ${fmt(recompute.median)}`,
    );
    console.log(
      `verifyLedgerConsistency (full compare): best ${fmt(consistency.best)}, median ${fmt(consistency.median)}`,
    );
    console.log(
      `getOnHand one item (${oneItem.result.length} rows): ${fmt(oneItem.best)}; one warehouse (${oneWarehouse.result.length.toLocaleString()} rows): ${fmt(oneWarehouse.best)}`,
    );
    console.log(`getOnHand one pair: ${((onePair.ms * 1000) / 1000).toFixed(0)} µs per call (1000 calls)`);
    console.log(
      `issueToWorkOrder (own transaction, lock + ledger + level + event): ${(issues.ms / 200).toFixed(2)} ms per posting (200 postings)`,
    );
  } finally {
    await drop();
  }
}

for (const engine of engines) await benchEngine(engine);

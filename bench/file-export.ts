/**
 * Benchmark: export 100,000 stock movements to CSV, JSON Lines and XML (atomic file + manifest, durable on
 * return) and report rows/s and peak RSS.
 *
 *   npx tsx bench/file-export.ts [rows]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultLayouts, exportRecords } from '../src/connectors/file-exchange/index.js';

const rows = Number(process.argv[2] ?? 100_000);

function* stockMovements(count: number): Generator<Record<string, string>> {
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 1; i <= count; i += 1) {
    yield {
      id: `0193${i.toString(16).padStart(28, '0')}`,
      occurredAt: new Date(start + i * 1000).toISOString(),
      sku: `SKU-${i % 5000}`,
      fromLocation: i % 3 === 0 ? 'VAN-07' : 'WH-MAIN',
      toLocation: i % 3 === 0 ? '' : 'VAN-07',
      quantity: i % 7 === 0 ? `-${(i % 13) + 0.5}` : String((i % 40) + 1),
      uom: 'pc',
      reason: i % 11 === 0 ? '=consumed on "site", WO' : 'transfer',
      workOrderRef: `WO-${i % 900}`,
    };
  }
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fieldsync-bench-export-'));
  try {
    for (const format of ['csv', 'jsonl', 'xml'] as const) {
      let peakRss = process.memoryUsage.rss();
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }, 25);
      const start = performance.now();
      const { manifest } = await exportRecords({
        dir,
        flow: 'stock-movements',
        format,
        layout: defaultLayouts.stockMovements,
        records: stockMovements(rows),
      });
      const seconds = (performance.now() - start) / 1000;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      console.log(
        `${format.padEnd(5)} export: ${manifest.records} rows, ${mb(manifest.bytes)} MiB in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s; peak RSS ${mb(peakRss)} MB`,
      );
    }
    console.log(`process maxRSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

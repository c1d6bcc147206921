/**
 * Benchmark: import a 1,000,000-row customers CSV through the inbound folder (detect, hash, parse,
 * validate, no-op apply, archive) and report rows/s and peak RSS. Target: peak RSS < 200 MB.
 *
 *   npx tsx bench/file-import.ts [rows]
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ensureInboundFolders,
  InboundFolder,
  InMemoryProcessedFileStore,
  type ApplyRow,
} from '../src/connectors/file-exchange/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const RSS_LIMIT_MB = 200;

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('code,name,email,phone,tax_id,street,city,postal_code,country,currency\n');
  let batch = '';
  for (let i = 1; i <= rows; i += 1) {
    batch += `C${i},"Customer ${i}, GmbH",customer${i}@example.com,+49 221 ${i},DE${100000000 + i},Hauptstraße ${i % 300},Köln,${50000 + (i % 999)},DE,EUR\n`;
    if (batch.length > 256 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  out.end();
  await once(out, 'finish');
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  console.log(`RSS at start (node + tsx loader): ${mb(process.memoryUsage.rss())} MB`);
  const root = await mkdtemp(path.join(tmpdir(), 'fieldsync-bench-import-'));
  try {
    const folders = await ensureInboundFolders(root);
    const file = path.join(folders.inbox, 'customers-bench.csv');
    const genStart = performance.now();
    await generate(file);
    const size = (await stat(file)).size;
    console.log(
      `generated ${rows} rows, ${mb(size)} MiB in ${((performance.now() - genStart) / 1000).toFixed(1)} s`,
    );

    let applied = 0;
    const apply: ApplyRow = async () => {
      applied += 1;
    };
    const folder = new InboundFolder({ ...folders, store: new InMemoryProcessedFileStore(), apply });
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 25);
    await folder.poll();
    const start = performance.now();
    const report = await folder.poll();
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const outcome = report.outcomes[0];
    if (outcome?.status !== 'imported' || applied !== rows || outcome.rejected !== 0) {
      throw new Error(`unexpected outcome: ${JSON.stringify(outcome)} applied=${applied}`);
    }
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      `csv import: ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s (${(size / 1024 / 1024 / seconds).toFixed(1)} MiB/s, incl. sha256 pass)`,
    );
    console.log(
      `peak RSS during import (sampled): ${mb(peakRss)} MB; process maxRSS: ${maxRssMb.toFixed(1)} MB; limit ${RSS_LIMIT_MB} MB`,
    );
    if (maxRssMb >= RSS_LIMIT_MB) {
      console.log('FAIL: peak RSS over the limit');
      process.exitCode = 1;
    } else {
      console.log('PASS: peak RSS under the limit');
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();

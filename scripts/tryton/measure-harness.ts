/**
 * Measures the Tryton harness: template build (in a fresh cache directory, so always a full build),
 * database copy, server start, and a few JSON-RPC round trips. Prints figures; asserts nothing.
 * Run: npx tsx scripts/tryton/measure-harness.ts [--starts 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureTemplate, startTryton, trytonAvailable } from '../../test/support/tryton/index.js';

const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

async function main(): Promise<void> {
  if (!trytonAvailable()) {
    console.error('trytond is not installed: run scripts/tryton/install.sh as root first.');
    process.exitCode = 1;
    return;
  }
  const startsFlag = process.argv.indexOf('--starts');
  const starts = startsFlag >= 0 ? Number(process.argv[startsFlag + 1]) : 3;
  const cache = await mkdtemp(path.join(os.tmpdir(), 'fieldsync-tryton-measure-'));
  process.env.FIELDSYNC_TRYTON_CACHE_DIR = cache;
  try {
    const template = await ensureTemplate();
    const admin = template.setup.timings?.trytondAdminMs ?? 0;
    console.log(
      `template build: ${ms(template.buildMs)} (trytond-admin ${ms(admin)}, RPC setup ${ms(template.buildMs - admin)})`,
    );

    for (let i = 1; i <= starts; i += 1) {
      const tryton = await startTryton();
      try {
        const client = tryton.client();
        let t = performance.now();
        await client.login();
        const loginMs = performance.now() - t;
        t = performance.now();
        for (let n = 0; n < 20; n += 1) await client.create('party.party', [{ name: `Measure ${n}` }]);
        const createMs = (performance.now() - t) / 20;
        t = performance.now();
        await client.create(
          'party.party',
          Array.from({ length: 100 }, (_, n) => ({ name: `Batch ${n}` })),
        );
        const batchMs = performance.now() - t;
        t = performance.now();
        const rows = await client.searchRead('party.party', [], { fields: ['name'] });
        const readMs = performance.now() - t;
        console.log(
          `start #${i}: copy ${ms(tryton.timings.copyMs)}, trytond ready ${ms(tryton.timings.startMs)}, ` +
            `login ${ms(loginMs)}, single create ${ms(createMs)}, create x100 ${ms(batchMs)}, ` +
            `search_read ${rows.length} rows ${ms(readMs)}`,
        );
      } finally {
        await tryton.stop();
      }
    }
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

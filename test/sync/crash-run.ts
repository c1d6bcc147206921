// Reliability R1: kill -9 the hub at random moments during a sync; afterwards nothing is lost and no
// effect is duplicated. Used by test/sync/crash-recovery.test.ts (CI size) and bench/r1-kill.ts (full size).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import { createCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import type { Engine } from '../../src/platform/db/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import { createTestDatabase } from '../support/databases.js';

export interface CrashRunOptions {
  engine: Engine;
  customers: number;
  kills: number;
  seed: number;
  serverUrl?: string;
  referenceLookup?: boolean;
  timeoutMs?: number;
  /** ERP latency per request, so kills land while batches are in flight. */
  erpLatencyMs?: number;
  batchSize?: number;
}

export interface CrashRunResult {
  events: number;
  kills: number;
  /** Kills that happened with some but not all events delivered. */
  killedMidDelivery: number;
  lost: number;
  duplicated: number;
  wrongFinalState: number;
  erpRecords: number;
  deliveredRows: number;
  durationMs: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** Small deterministic PRNG so a failing run can be repeated with its seed. */
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

export async function runCrashScenario(options: CrashRunOptions): Promise<CrashRunResult> {
  const started = Date.now();
  const rng = mulberry32(options.seed);
  const testDb = await createTestDatabase(
    options.engine,
    options.serverUrl ? { serverUrl: options.serverUrl } : {},
  );
  const erp = await startTestErp();
  erp.faults.setLatency(options.erpLatencyMs ?? 0);
  const flowName = 'crash';
  const db = testDb.handle.db;
  try {
    await setSubscriptions(db, { [`flow:${flowName}`]: ['customer.*'] });
    const expectedName = new Map<string, string>();
    for (let i = 0; i < options.customers; i += 1) {
      const c = await createCustomer(db, { name: `Crash ${i}`, code: `CR-${i}` });
      expectedName.set(c.id, c.name);
    }
    let events = options.customers;
    const ids = [...expectedName.keys()];
    for (let i = 0; i < Math.floor(options.customers / 10); i += 1) {
      const id = ids[Math.floor(rng() * ids.length)] as string;
      const renamed = `Crash renamed ${i}`;
      await updateCustomer(db, id, { name: renamed });
      expectedName.set(id, renamed);
      events += 1;
    }

    const childEnv = {
      ...process.env,
      DB_URL: testDb.url,
      ERP_URL: erp.url,
      ERP_TOKEN: erp.token,
      FLOW: flowName,
      CONNECTOR: 'crash-erp',
      REFERENCE_LOOKUP: options.referenceLookup === false ? '0' : '1',
      LEASE_MS: '1500',
      BATCH: String(options.batchSize ?? 100),
    };
    const startChild = () =>
      new Promise<ReturnType<typeof spawn>>((resolve, reject) => {
        // node runs the TypeScript through tsx's loader, so the hub child is ONE process: the `tsx` command
        // would be a wrapper whose SIGKILL leaves the real hub running, orphaned, still delivering.
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hub-child.ts')], {
          cwd: root,
          env: childEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let errText = '';
        child.stderr?.on('data', (d: Buffer) => {
          errText += d.toString();
        });
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) resolve(child);
        });
        child.once('exit', (code) =>
          reject(new Error(`hub child exited early (${String(code)}): ${errText.slice(-2000)}`)),
        );
      });
    const delivered = async () =>
      Number(
        (
          await db
            .selectFrom('outbox_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('subscriber', '=', `flow:${flowName}`)
            .where('status', '=', 'delivered')
            .executeTakeFirstOrThrow()
        ).n,
      );

    let kills = 0;
    let killedMidDelivery = 0;
    for (; kills < options.kills; kills += 1) {
      const child = await startChild();
      await new Promise((r) => setTimeout(r, 100 + Math.floor(rng() * 900)));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const done = await delivered();
      if (done > 0 && done < events) killedMidDelivery += 1;
      if (done >= events) break;
    }
    const last = await startChild();
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    while ((await delivered()) < events && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const stopped = new Promise((r) => last.once('exit', r));
    last.kill('SIGTERM');
    await stopped;

    let lost = 0;
    let duplicated = 0;
    let wrongFinalState = 0;
    const all = erp.store.all('customer');
    const byReference = new Map<string, number>();
    for (const record of all)
      if (record.reference) byReference.set(record.reference, (byReference.get(record.reference) ?? 0) + 1);
    for (const [id, name] of expectedName) {
      const count = byReference.get(id) ?? 0;
      if (count === 0) lost += 1;
      if (count > 1) duplicated += count - 1;
      const record = erp.store.findByReference('customer', id);
      if (record && record.data.name !== name) wrongFinalState += 1;
    }
    return {
      events,
      kills,
      killedMidDelivery,
      lost,
      duplicated,
      wrongFinalState,
      erpRecords: all.length,
      deliveredRows: await delivered(),
      durationMs: Date.now() - started,
    };
  } finally {
    erp.faults.setLatency(0);
    await erp.close();
    await testDb.drop();
  }
}

// Reliability R1: kill -9 the hub at random moments during a sync; afterwards nothing is lost and no
// effect is duplicated. Used by test/sync/crash-recovery.test.ts (CI size) and bench/r1-kill.ts (full size).
import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import { createCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import type { Engine } from '../../src/platform/db/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import { createTestDatabase } from '../support/databases.js';
import { typescriptChildArgs } from '../support/typescript-child.js';

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
  /**
   * Extra kills, after the random ones, aimed at the worst moment: the ERP has applied a batch and its
   * answer is still on the way (held back by the test ERP), so the hub dies knowing nothing.
   */
  targetedKills?: number;
}

export interface CrashRunResult {
  events: number;
  /** All kills, random and targeted. */
  kills: number;
  /** Kills that happened with some but not all events delivered. */
  killedMidDelivery: number;
  /** Kills that left a batch leased by the killed process itself (leased, not acknowledged). */
  killedWithBatchLeased: number;
  /**
   * Kills that hit the worst window: the ERP had already applied a create of the killed process's
   * unacknowledged batch (only the look-up before create prevents a duplicate on re-send).
   */
  killedAfterErpApplied: number;
  /**
   * Leases held by a process other than the ones this run spawned and killed (e.g. a grandchild behind a
   * wrapper binary that SIGKILL never reached). Must be 0: otherwise the kills killed nothing.
   */
  foreignLeaseOwners: number;
  /** ERP requests that arrived while no hub was supposed to be alive (an orphan still delivering). */
  requestsWhileDead: number;
  /** Failed attempts recorded (mostly calls that outlived the dispatcher's call timeout). */
  retries: number;
  lost: number;
  duplicated: number;
  wrongFinalState: number;
  erpRecords: number;
  deliveredRows: number;
  durationMs: number;
  /** From the first hub start to the last delivery (the seeding of events excluded). */
  syncMs: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const hubChildEntry = path.join(here, 'hub-child.ts');
const CHILD_READY_TIMEOUT_MS = 60_000;
const TARGETED_REPLY_DELAY_MS = 500;
const isBatchPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path.endsWith('/batch');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in a lease owner (`host:pid:random`, see Dispatcher). */
function ownerPid(owner: string): number {
  const parts = owner.split(':');
  return Number(parts[parts.length - 2]);
}

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

    const syncStarted = Date.now();
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
    const spawned = new Set<ChildProcess>();
    const spawnedPids = new Set<number>();
    const startChild = () =>
      new Promise<ChildProcess>((resolve, reject) => {
        // One node process (the pid we kill is the hub), which stops itself if this process dies.
        const child = spawn(process.execPath, typescriptChildArgs(hubChildEntry), {
          env: childEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        spawned.add(child);
        if (child.pid !== undefined) spawnedPids.add(child.pid);
        child.once('exit', () => spawned.delete(child));
        let errText = '';
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(
            new Error(`hub child not ready within ${CHILD_READY_TIMEOUT_MS} ms: ${errText.slice(-2000)}`),
          );
        }, CHILD_READY_TIMEOUT_MS);
        child.stderr?.on('data', (d: Buffer) => {
          errText = (errText + d.toString()).slice(-20_000);
        });
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) {
            clearTimeout(timer);
            resolve(child);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`hub child exited early (${String(code)}): ${errText.slice(-2000)}`));
        });
      });
    const killHard = async (child: ChildProcess) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    };
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

    /**
     * Leases still held after a kill, by pid; the ERP-applied check reads the create events among them.
     * PostgreSQL leases the delivery rows; SQLite keeps a lease row per batch (lease-sqlite.ts).
     */
    const leasesAfterKill = async () =>
      options.engine === 'postgres'
        ? db
            .selectFrom('outbox_deliveries')
            .select(['lease_owner', 'subject', 'event_type'])
            .where('subscriber', '=', `flow:${flowName}`)
            .where('status', '=', 'in_flight')
            .execute()
        : (
            await sql<{ lease_owner: string; subject: string; event_type: string }>`
              select l.owner as lease_owner, d.subject, d.event_type
                from sync_leases l, json_each(l.delivery_ids) j
                join outbox_deliveries d on d.id = j.value
               where l.subscriber = ${`flow:${flowName}`} and d.status = 'pending'`.execute(db)
          ).rows;

    let kills = 0;
    let syncMs = 0;
    let killedMidDelivery = 0;
    let killedWithBatchLeased = 0;
    let killedAfterErpApplied = 0;
    let requestsWhileDead = 0;
    const foreignOwners = new Set<string>();
    try {
      const targeted = options.targetedKills ?? 0;
      for (let round = 0; round < options.kills + targeted; round += 1) {
        const posts = erp.requests({ method: 'POST' }).length;
        const child = await startChild();
        const pid = child.pid as number;
        if (round < options.kills) {
          // A random moment of delivery, not of start-up: on a loaded machine the child can take longer to
          // start than any fixed delay, and a kill before its first call proves nothing.
          const until = Date.now() + 30_000;
          while (erp.requests({ method: 'POST' }).length === posts && Date.now() < until)
            await new Promise((r) => setTimeout(r, 5));
          await new Promise((r) => setTimeout(r, Math.floor(rng() * 900)));
        } else {
          // Targeted: the ERP applies a batch and holds its answer back; kill while the answer is late.
          const before = erp.requests({ method: 'POST' }).length;
          erp.faults.setReplyDelay(TARGETED_REPLY_DELAY_MS, isBatchPost);
          const until = Date.now() + 30_000;
          while (
            !erp
              .requests({ method: 'POST' })
              .slice(before)
              .some((r) => r.status === 200) &&
            Date.now() < until
          )
            await new Promise((r) => setTimeout(r, 5));
        }
        await killHard(child);
        kills += 1;
        erp.faults.setReplyDelay(0);
        if (alive(pid)) throw new Error(`hub child ${pid} survived SIGKILL`);
        // Nothing may reach the ERP now: a request arriving later comes from a process we did not kill.
        await new Promise((r) => setTimeout(r, 50));
        const requestsAtDeath = erp.requests().length;
        const leases = await leasesAfterKill();
        for (const lease of leases) {
          const owner = lease.lease_owner ?? '';
          if (!spawnedPids.has(ownerPid(owner)) || alive(ownerPid(owner))) foreignOwners.add(owner);
        }
        const mine = leases.filter((l) => ownerPid(l.lease_owner ?? '') === pid);
        if (mine.length > 0) killedWithBatchLeased += 1;
        if (
          mine.some(
            (l) =>
              l.event_type === 'customer.created' &&
              erp.store.findByReference('customer', l.subject.slice(l.subject.indexOf('/') + 1)) !==
                undefined,
          )
        )
          killedAfterErpApplied += 1;
        const done = await delivered();
        if (done > 0 && done < events) killedMidDelivery += 1;
        await new Promise((r) => setTimeout(r, 250));
        requestsWhileDead += erp.requests().length - requestsAtDeath;
        if (done >= events) break;
      }
      const last = await startChild();
      const deadline = Date.now() + (options.timeoutMs ?? 120_000);
      while ((await delivered()) < events && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      syncMs = Date.now() - syncStarted;
      const stopped = new Promise((r) => last.once('exit', r));
      last.kill('SIGTERM');
      const stopTimer = setTimeout(() => last.kill('SIGKILL'), 10_000);
      await stopped;
      clearTimeout(stopTimer);
    } finally {
      for (const child of [...spawned]) await killHard(child);
    }
    for (const pid of spawnedPids) if (alive(pid)) throw new Error(`hub child ${pid} is still alive`);

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
      killedWithBatchLeased,
      killedAfterErpApplied,
      foreignLeaseOwners: foreignOwners.size,
      requestsWhileDead,
      lost,
      duplicated,
      wrongFinalState,
      erpRecords: all.length,
      deliveredRows: await delivered(),
      retries: Number(
        (
          await db
            .selectFrom('sync_attempts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('outcome', '=', 'retry')
            .executeTakeFirstOrThrow()
        ).n,
      ),
      durationMs: Date.now() - started,
      syncMs,
    };
  } finally {
    erp.faults.setLatency(0);
    await erp.close();
    await testDb.drop();
  }
}

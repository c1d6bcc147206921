// Reliability R1 at full size: 20 kill -9 of the hub at random moments during a 50,000-event sync to
// the loopback test ERP (reference look-up before create, like Tryton), then 5 kills aimed at the worst
// moment (the ERP applied a batch, its answer is late); prints lost / duplicated / wrong final state,
// how many kills caught the killed process holding a batch, and whether any hub process survived.
// Run: npx tsx bench/r1-kill.ts   (R1_CUSTOMERS, R1_KILLS, R1_TARGETED, FIELDSYNC_BENCH_ENGINES to resize)
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hubChildEntry, runCrashScenario } from '../test/sync/crash-run.js';
import { benchEngines, benchPgUrl, fmt } from './support.js';

const customers = Number(process.env.R1_CUSTOMERS ?? 45_455); // + 10 % updates ≈ 50,000 events
const kills = Number(process.env.R1_KILLS ?? 20);
const targetedKills = Number(process.env.R1_TARGETED ?? 5);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Processes still running this checkout's hub-child.ts (what `ps` would show): must be none. */
function hubChildrenAlive(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(hubChildEntry))
        pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

for (const engine of benchEngines()) {
  const loadBefore = load();
  const result = await runCrashScenario({
    engine,
    customers,
    kills,
    targetedKills,
    seed: 42,
    serverUrl: benchPgUrl,
    referenceLookup: true,
    erpLatencyMs: 2,
    batchSize: 50,
    timeoutMs: 1_800_000,
  });
  const survivors = hubChildrenAlive();
  console.log(
    `[${engine}] ${result.events} events, ${result.kills} kills (${kills} random, ${targetedKills} targeted): ` +
      `lost ${result.lost}, duplicated ${result.duplicated}, wrong final state ${result.wrongFinalState}, ` +
      `ERP records ${result.erpRecords}, delivered rows ${result.deliveredRows}, failed attempts ${result.retries}, ` +
      `${fmt(result.durationMs / 1000)} s (sync ${fmt(result.syncMs / 1000)} s)`,
  );
  console.log(
    `  kills mid-delivery ${result.killedMidDelivery}, with the killed process holding a leased batch ` +
      `${result.killedWithBatchLeased}, after the ERP applied creates of that batch ${result.killedAfterErpApplied}; ` +
      `leases held by a process not killed ${result.foreignLeaseOwners}; ERP requests while no hub ran ` +
      `${result.requestsWhileDead}; hub-child processes left ${survivors.length}${survivors.length ? ` (${survivors.join(', ')})` : ''}`,
  );
  console.log(`  load average ${loadBefore} before, ${load()} after (2 cores)`);
}

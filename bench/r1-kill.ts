// Reliability R1 at full size: 20 kill -9 of the hub at random moments during a 50,000-event sync to
// the loopback test ERP (reference look-up before create, like Tryton); prints lost / duplicated.
// Run: npx tsx bench/r1-kill.ts   (R1_CUSTOMERS, R1_KILLS, FIELDSYNC_BENCH_ENGINES to resize)
import { runCrashScenario } from '../test/sync/crash-run.js';
import { benchEngines, benchPgUrl, fmt } from './support.js';

const customers = Number(process.env.R1_CUSTOMERS ?? 45_455); // + 10 % updates ≈ 50,000 events
const kills = Number(process.env.R1_KILLS ?? 20);

for (const engine of benchEngines()) {
  const result = await runCrashScenario({
    engine,
    customers,
    kills,
    seed: 42,
    serverUrl: benchPgUrl,
    referenceLookup: true,
    erpLatencyMs: 2,
    batchSize: 50,
    timeoutMs: 900_000,
  });
  console.log(
    `[${engine}] ${result.events} events, ${result.kills} kills (${result.killedMidDelivery} mid-delivery): ` +
      `lost ${result.lost}, duplicated ${result.duplicated}, wrong final state ${result.wrongFinalState}, ` +
      `ERP records ${result.erpRecords}, ${fmt(result.durationMs / 1000)} s`,
  );
}

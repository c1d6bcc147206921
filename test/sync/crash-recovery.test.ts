import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/test-database.js';
import { runCrashScenario } from './crash-run.js';

describeEachEngine('crash recovery (R1, CI size)', (_db, engine) => {
  it('loses nothing and duplicates nothing when the hub is killed -9 repeatedly mid-delivery', async () => {
    const result = await runCrashScenario({
      engine,
      customers: 1500,
      kills: 4,
      targetedKills: 2,
      seed: 20261126,
      referenceLookup: true,
      erpLatencyMs: 5,
      batchSize: 20,
    });
    console.log(`R1 CI size [${engine}]`, JSON.stringify(result));
    expect(result.killedMidDelivery).toBeGreaterThanOrEqual(2);
    // The kills hit the process that held the batch, and nothing else was delivering behind it.
    expect(result.killedWithBatchLeased).toBeGreaterThanOrEqual(1);
    // At least the targeted kills hit after the ERP applied creates it had not yet confirmed: only the
    // look-up before create stands between them and a duplicate.
    expect(result.killedAfterErpApplied).toBeGreaterThanOrEqual(2);
    expect(result.foreignLeaseOwners).toBe(0);
    expect(result.requestsWhileDead).toBe(0);
    expect(result.deliveredRows).toBe(result.events);
    expect(result.lost).toBe(0);
    expect(result.duplicated).toBe(0);
    expect(result.wrongFinalState).toBe(0);
    expect(result.erpRecords).toBe(1500);
  }, 240_000);
});

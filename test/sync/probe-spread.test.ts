import { afterEach, expect, it } from 'vitest';
import { createCustomer } from '../../src/modules/customers/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { SyncFixture } from './sync-fixture.js';
import { customerSyncFixture, waitFor } from './sync-fixture.js';

// While the ERP is down the breaker lets about one call a second through. Each of those probes must
// land on a different waiting record: if they all went to the lowest due id, a long outage would use
// up that one record's attempt budget and dead-letter it although nothing is wrong with it.
describeEachEngine('outage probes', (db) => {
  let fixture: SyncFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  it('are spread over the waiting records, the least-tried first', async () => {
    fixture = await customerSyncFixture(db().db, {
      batchSize: 1,
      concurrency: 1,
      // A backoff shorter than the probe interval: every record that failed is due again by the next
      // probe, so only the lease's choice decides where the probes land. Longer than the opening burst
      // of five failures, though, even on a loaded machine: at 100 ms the first record was sometimes due
      // again, and retried, before the fifth failure opened the breaker.
      retry: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 800, jitter: 'none' },
    });
    const { erp, flow, dispatcher } = fixture;
    erp.faults.failNext(10_000, { kind: 'server_error', status: 503 });
    for (let i = 0; i < 20; i += 1) await createCustomer(db().db, { name: `Waiting ${i}` });
    dispatcher.start();
    await waitFor(async () => flow.breaker.snapshot().probes >= 7, 15_000, 'seven probes during the outage');
    await dispatcher.stop();

    const rows = await db()
      .db.selectFrom('outbox_deliveries')
      .select(['attempts', 'status'])
      .where('subscriber', '=', flow.subscriber)
      .execute();
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    const attempts = rows.map((r) => Number(r.attempts));
    const total = attempts.reduce((a, b) => a + b, 0);
    // The opening burst (five failures) plus the probes, one per record.
    expect(total).toBeGreaterThanOrEqual(5 + 7);
    expect(Math.max(...attempts)).toBe(1);
    expect(attempts.filter((a) => a > 0).length).toBe(total);
  }, 30_000);
});

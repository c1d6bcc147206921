import { beforeEach, expect, it } from 'vitest';
import { seedDeliveries } from '../../bench/sync-seed.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import type { DeliveryOutcome, LeasedDelivery } from '../../src/sync/delivery/index.js';
import {
  acknowledge,
  backlogBySubscriber,
  leaseDeliveries,
  reclaimExpiredLeases,
} from '../../src/sync/delivery/index.js';
import { recordHistory } from '../../src/sync/history/index.js';
import { describeEachEngine } from '../support/test-database.js';

// PostgreSQL leases the delivery rows; SQLite records one lease row per batch and leaves the deliveries
// pending (lease-sqlite.ts). What a lease means must not depend on which: these run on both engines.
describeEachEngine('lease lifecycle', (db, engine) => {
  const subscriber = 'flow:leases';
  const lease = (owner: string, limit: number, now?: Date) =>
    leaseDeliveries(db().db, { subscriber, owner, limit, leaseMs: 60_000, ...(now && { now }) });
  const delivered = (x: LeasedDelivery): DeliveryOutcome => ({
    kind: 'delivered',
    deliveryId: x.id,
    attempt: x.attempts,
    startedAt: new Date().toISOString(),
    durationMs: 1,
  });
  const stored = async () =>
    (
      await db()
        .db.selectFrom('outbox_deliveries')
        .select(['id', 'status', 'attempts'])
        .where('subscriber', '=', subscriber)
        .orderBy('id')
        .execute()
    ).map((r) => [Number(r.id), r.status, Number(r.attempts)]);

  beforeEach(async () => {
    for (const table of ['sync_attempts', 'outbox_deliveries', 'outbox_events'] as const)
      await db().db.deleteFrom(table).execute();
    if (engine === 'sqlite') await db().db.deleteFrom('sync_leases').execute();
  });

  it('keeps leased work out of other leases, and shows it in flight in the backlog and the history', async () => {
    await seedDeliveries(db().db, { events: 6, subjects: 6, subscriber });
    await setSubscriptions(db().db, { [subscriber]: ['customer.*'] });
    const a = await lease('hub-a', 4);
    const b = await lease('hub-b', 4);
    expect(a.map((d) => d.id)).toHaveLength(4);
    expect(b.map((d) => d.id)).toHaveLength(2);
    expect(new Set([...a, ...b].map((d) => d.id)).size).toBe(6);
    expect(await lease('hub-c', 4)).toEqual([]);
    const [backlog] = (await backlogBySubscriber(db().db)).filter((s) => s.subscriber === subscriber);
    expect(backlog).toMatchObject({ pending: 0, inFlight: 6, dead: 0 });

    const first = a[0] as LeasedDelivery;
    const history = await recordHistory(db().db, { subject: first.subject, limit: 5 });
    expect(history.events[0]?.deliveries[0]).toMatchObject({ status: 'in_flight', attempts: 1 });

    await acknowledge(db().db, 'leases', 'hub-a', a.map(delivered));
    const [after] = (await backlogBySubscriber(db().db)).filter((s) => s.subscriber === subscriber);
    expect(after).toMatchObject({ pending: 0, inFlight: 2 });
    const again = await recordHistory(db().db, { subject: first.subject, limit: 5 });
    expect(again.events[0]?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('counts every lost lease as an attempt, so work that kills its hub each time still uses up its attempts', async () => {
    await seedDeliveries(db().db, { events: 2, subjects: 2, subscriber });
    let later = Date.now();
    for (let round = 1; round <= 3; round += 1) {
      const batch = await lease(`hub-${round}`, 10, new Date(later));
      expect(batch.map((d) => d.attempts)).toEqual([round, round]);
      // The hub dies holding it: nothing is acknowledged, and the lease expires.
      later += 120_000;
      expect(await reclaimExpiredLeases(db().db, subscriber, new Date(later))).toBe(2);
    }
    expect((await stored()).map(([, status, attempts]) => [status, attempts])).toEqual([
      ['pending', 3],
      ['pending', 3],
    ]);
    const fourth = await lease('hub-4', 10, new Date(later));
    expect(fourth.map((d) => d.attempts)).toEqual([4, 4]);
    await acknowledge(db().db, 'leases', 'hub-4', fourth.map(delivered));
    expect((await stored()).map(([, status, attempts]) => [status, attempts])).toEqual([
      ['delivered', 4],
      ['delivered', 4],
    ]);
  });

  it('a lease that has not expired is not reclaimed', async () => {
    await seedDeliveries(db().db, { events: 2, subjects: 2, subscriber });
    await lease('hub-a', 10);
    expect(await reclaimExpiredLeases(db().db, subscriber, new Date(Date.now() + 30_000))).toBe(0);
    expect(await lease('hub-b', 10)).toEqual([]);
  });

  it('takes the next lease with the acknowledgement, in the same statement or transaction', async () => {
    await seedDeliveries(db().db, { events: 6, subjects: 6, subscriber });
    const first = await lease('hub-a', 3);
    const next = await acknowledge(db().db, 'leases', 'hub-a', first.map(delivered), {
      subscriber,
      owner: 'hub-a',
      limit: 3,
      leaseMs: 60_000,
    });
    expect(next?.map((d) => [d.id, d.attempts])).toEqual(first.map((d) => [d.id + 3, 1]));
    // The fused lease holds its rows like any other: nobody else gets them, and its own ack settles them.
    expect(await lease('hub-b', 10)).toEqual([]);
    await acknowledge(db().db, 'leases', 'hub-a', (next ?? []).map(delivered));
    expect((await stored()).every(([, status]) => status === 'delivered')).toBe(true);
  });
});

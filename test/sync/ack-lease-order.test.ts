import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { seedDeliveries } from '../../bench/sync-seed.js';
import { acknowledge, leaseDeliveries } from '../../src/sync/delivery/index.js';
import type { LeasedDelivery, LeaseOptions } from '../../src/sync/delivery/index.js';
import type { TestDatabase } from '../support/databases.js';
import { createTestDatabase } from '../support/databases.js';

// On PostgreSQL a worker acknowledges its batch and leases the next in one statement. The lease may lock
// rows it then skips (another worker leased them after the statement's snapshot), so it must not run
// before the acknowledgement, which can wait for other workers' locks: two workers once deadlocked so,
// and the failed statement's batch stayed in flight until its lease expired.
describe.skipIf(!process.env.FIELDSYNC_TEST_PG)('acknowledgement and next lease on PostgreSQL', () => {
  const subscriber = 'flow:order';
  let testDb: TestDatabase | undefined;
  const clients: pg.Client[] = [];
  // A statement still waiting when a check fails: it ends once the clients holding locks are gone.
  let inFlight: Promise<unknown> | undefined;
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end()));
    await inFlight?.catch(() => undefined);
    await testDb?.drop();
  });
  const connect = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  };
  /** Resolves once an acknowledgement statement of this database waits for a lock. */
  const untilAcknowledgementWaits = (observer: pg.Client) =>
    expect
      .poll(async () => {
        const waiting = await observer.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%delivered as%'`,
        );
        return Number(waiting.rows[0]?.n);
      })
      .toBe(1);
  const options = (owner: string): LeaseOptions => ({
    subscriber,
    owner,
    limit: 100,
    leaseMs: 60_000,
    link: { connector: 'erp', entity: 'customer' },
  });
  const delivered = (batch: LeasedDelivery[]) =>
    batch.map((d) => ({
      kind: 'delivered' as const,
      deliveryId: d.id,
      attempt: 1,
      startedAt: '2026-12-07T10:00:00.000Z',
      durationMs: 1,
      crosswalk: {
        connector: 'erp',
        entity: 'customer',
        localId: d.subject.slice(9),
        externalId: `x${d.id}`,
      },
    }));

  it('locks nothing for the next lease while the acknowledgement waits for a row lock', async () => {
    testDb = await createTestDatabase('postgres');
    const db = testDb.handle.db;
    await seedDeliveries(db, { events: 300, subjects: 300, subscriber });
    const first = await leaseDeliveries(db, options('w1'));
    expect(first.map((d) => d.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    // Another transaction holds a lock on one row of the batch, as a lease with an older snapshot does.
    const holder = await connect(testDb.url);
    await holder.query('begin');
    await holder.query('select id from outbox_deliveries where id = 50 for update');
    const ackAndLease = acknowledge(db, 'order', 'w1', delivered(first), options('w1'));
    inFlight = ackAndLease;
    const observer = await connect(testDb.url);
    await untilAcknowledgementWaits(observer);

    // While it waits, the rows its lease will take are free: it has not locked them yet.
    await observer.query('begin');
    const free = await observer.query<{ id: string }>(
      'select id from outbox_deliveries where id between 101 and 200 order by id for update nowait',
    );
    expect(free.rows).toHaveLength(100);
    await observer.query('rollback');

    await holder.query('rollback');
    const next = await ackAndLease;
    expect(next?.map((d) => d.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 101));
    const states = await db
      .selectFrom('outbox_deliveries')
      .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .orderBy('status')
      .execute();
    expect(states.map((s) => [s.status, Number(s.n)])).toEqual([
      ['delivered', 100],
      ['in_flight', 100],
      ['pending', 100],
    ]);
  });

  it('runs the acknowledgement again when PostgreSQL breaks a deadlock by failing it', async () => {
    testDb = await createTestDatabase('postgres');
    const db = testDb.handle.db;
    await seedDeliveries(db, { events: 100, subjects: 100, subscriber });
    const batch = await leaseDeliveries(db, options('w1'));
    // The acknowledgement updates the batch in the order of the rows on disk: holding the last of them
    // makes it wait while it holds all the others.
    const other = await connect(testDb.url);
    const order = await other.query<{ id: string }>('select id from outbox_deliveries order by ctid');
    const last = Number(order.rows.at(-1)?.id);
    await other.query('begin');
    await other.query('select id from outbox_deliveries where id = $1 for update', [last]);
    const ack = acknowledge(db, 'order', 'w1', delivered(batch));
    inFlight = ack;
    const observer = await connect(testDb.url);
    await untilAcknowledgementWaits(observer);
    // Now the other transaction wants a row the acknowledgement holds: a cycle. The acknowledgement has
    // waited longer, so its deadlock check runs first and PostgreSQL fails it; the other one goes on.
    await other.query('select id from outbox_deliveries where id <> $1 for update', [last]);
    await other.query('rollback');
    await expect(ack).resolves.toBeUndefined();
    const states = await db.selectFrom('outbox_deliveries').select('status').distinct().execute();
    expect(states).toEqual([{ status: 'delivered' }]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { seedDeliveries } from '../../bench/sync-seed.js';
import { leaseDeliveries } from '../../src/sync/delivery/index.js';
import { ScanStart } from '../../src/sync/engine/scan-start.js';
import { leaseStatementIn, markDeliveredUpTo, withLoggedPostgres } from '../support/logged-postgres.js';
import { describeEachEngine } from '../support/test-database.js';

describe('where a PostgreSQL lease starts its walk (ScanStart)', () => {
  it('starts at the first id of the batch before, and from the beginning each second', () => {
    let now = 1_000;
    const scan = new ScanStart(true, 1000, () => now);
    expect(scan.next()).toBeUndefined();
    expect(scan.leased([{ id: 40 }, { id: 41 }], undefined)).toBe(false);
    now += 10;
    expect(scan.next()).toBe(40);
    expect(scan.leased([{ id: 140 }], 40)).toBe(false);
    now += 500;
    expect(scan.next()).toBe(140);
    now += 500;
    // A second since the last walk from the start: retries and replays below the mark are found.
    expect(scan.next()).toBeUndefined();
    expect(scan.leased([{ id: 7 }], undefined)).toBe(false);
    now += 1;
    expect(scan.next()).toBe(7);
  });

  it('asks for a walk from the start at once when a bounded lease finds nothing', () => {
    let now = 0;
    const scan = new ScanStart(true, 1000, () => now);
    scan.leased([{ id: 500 }], scan.next());
    now += 1;
    const from = scan.next();
    expect(from).toBe(500);
    expect(scan.leased([], from)).toBe(true);
    expect(scan.next()).toBeUndefined();
    // An empty walk from the start is an empty queue: the worker sleeps.
    expect(scan.leased([], undefined)).toBe(false);
  });

  it('never bounds a walk where storage deletes index entries at once (SQLite)', () => {
    const scan = new ScanStart(false);
    scan.leased([{ id: 9 }], undefined);
    expect(scan.next()).toBeUndefined();
  });
});

describeEachEngine('a lease given a start id', (db) => {
  const subscriber = 'flow:scan-start';
  beforeEach(async () => {
    await db().db.deleteFrom('outbox_deliveries').execute();
    await db().db.deleteFrom('outbox_events').execute();
  });

  it('skips due deliveries below it, which a lease from the start then takes', async () => {
    await seedDeliveries(db().db, { events: 20, subjects: 20, subscriber });
    const ids = (await db().db.selectFrom('outbox_deliveries').select('id').orderBy('id').execute()).map(
      (r) => Number(r.id),
    );
    const options = { subscriber, limit: 100, leaseMs: 60_000 };
    const upper = await leaseDeliveries(db().db, { ...options, owner: 'upper', fromId: ids[10] ?? 0 });
    expect(upper.map((d) => d.id)).toEqual(ids.slice(10));
    const lower = await leaseDeliveries(db().db, { ...options, owner: 'lower' });
    expect(lower.map((d) => d.id)).toEqual(ids.slice(0, 10));
  });
});

describe.skipIf(!process.env.FIELDSYNC_TEST_PG)('a bounded lease on PostgreSQL', () => {
  it('positions its index walk at the start id instead of stepping over the dead entries below', () =>
    withLoggedPostgres(async ({ db, pool, statements }) => {
      await seedDeliveries(db, { events: 20_000, subjects: 20_000, subscriber: 'flow:bounded' });
      // Rows that left `pending` leave dead entries in the due index until a vacuum (none runs here).
      await markDeliveredUpTo(db, 15_000);
      // The due index's pages the lease read, from EXPLAIN ANALYZE in a transaction that is rolled back.
      const pagesOf = async (fromId?: number) => {
        statements.length = 0;
        const leased = await leaseDeliveries(db, {
          subscriber: 'flow:bounded',
          owner: 'plan',
          limit: 100,
          leaseMs: 60_000,
          ...(fromId !== undefined && { fromId }),
        });
        expect(leased[0]?.id).toBeGreaterThan(15_000);
        const lease = leaseStatementIn(statements);
        const client = await pool.connect();
        try {
          await client.query('begin');
          const plan = await client.query<{ 'QUERY PLAN': string }>(
            `explain (analyze, buffers, costs off) ${lease.sql}`,
            [...lease.parameters],
          );
          await client.query('rollback');
          const lines = plan.rows.map((r) => r['QUERY PLAN']);
          const at = lines.findIndex((l) => l.includes('Index Scan using outbox_deliveries_due_idx'));
          if (fromId !== undefined)
            expect(lines[at + 1]).toMatch(/ROW\(status, id\) >= ROW\('pending'::text/);
          const buffers = lines.slice(at).find((l) => l.includes('Buffers: shared hit='));
          return Number(/hit=(\d+)/.exec(buffers ?? '')?.[1]);
        } finally {
          client.release();
        }
      };
      const fromStart = await pagesOf();
      const bounded = await pagesOf(15_001);
      expect(fromStart).toBeGreaterThan(20);
      expect(bounded).toBeLessThan(fromStart / 4);
    }));
});

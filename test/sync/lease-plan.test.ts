import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { seedDeliveries } from '../../bench/sync-seed.js';
import { leaseDeliveries } from '../../src/sync/delivery/index.js';
import { leaseStatementIn, markDeliveredUpTo, withLoggedPostgres } from '../support/logged-postgres.js';

// PostgreSQL plans the lease from its statistics. Gathered while every delivery was pending (a backlog
// after an outage), they once made it walk the primary key past every delivered row: each lease slower
// than the last while the backlog drained. The lease must use the due index whatever the statistics say.
describe.skipIf(!process.env.FIELDSYNC_TEST_PG)('lease plan on PostgreSQL', () => {
  it('uses the due index after statistics taken with everything pending and half the rows delivered', () =>
    withLoggedPostgres(async ({ db, pool, statements }) => {
      await seedDeliveries(db, { events: 6000, subjects: 6000, subscriber: 'flow:plan' });
      await sql`analyze outbox_deliveries`.execute(db);
      await markDeliveredUpTo(db, 3000);
      statements.length = 0;
      const leased = await leaseDeliveries(db, {
        subscriber: 'flow:plan',
        owner: 'plan',
        limit: 100,
        leaseMs: 60_000,
      });
      expect(leased.map((d) => d.id)).toEqual(Array.from({ length: 100 }, (_, i) => 3001 + i));
      const lease = leaseStatementIn(statements);
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain ${lease.sql}`, [...lease.parameters]);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan using outbox_deliveries_due_idx on outbox_deliveries d\b/);
      expect(text).not.toMatch(/outbox_deliveries_pkey on outbox_deliveries d\b/);
    }));

  it('looks each leased record up in the crosswalk by its primary key when the crosswalk has no statistics', () =>
    withLoggedPostgres(async ({ db, pool, statements }) => {
      // Never analyzed, as after an initial sync on a server whose autovacuum has not run yet.
      await seedDeliveries(db, { events: 6000, subjects: 6000, subscriber: 'flow:plan' });
      await sql`insert into sync_crosswalk (connector, entity, local_id, external_id, updated_at)
        select 'erp', 'customer', 'bench-' || i, 'x' || i, 'now' from generate_series(0, 2999) as i`.execute(
        db,
      );
      statements.length = 0;
      const leased = await leaseDeliveries(db, {
        subscriber: 'flow:plan',
        owner: 'plan',
        limit: 100,
        leaseMs: 60_000,
        link: { connector: 'erp', entity: 'customer' },
      });
      expect(leased.map((d) => d.external_id)).toEqual(Array.from({ length: 100 }, (_, i) => `x${i}`));
      // One round trip: the links are read by the lease's own statement.
      expect(statements).toHaveLength(1);
      const [lease] = statements;
      if (!lease?.sql.includes('sync_crosswalk')) throw new Error('the lease did not read the crosswalk');
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain ${lease.sql}`, [...lease.parameters]);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(
        /Index Cond: \(\(connector = .*\) AND \(entity = .*\) AND \(local_id = substr\(leased\.subject,/,
      );
      expect(text).toMatch(/sync_crosswalk_pk/);
    }));
});

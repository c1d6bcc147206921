import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDeliveries } from '../../bench/sync-seed.js';
import type { MigrationDb } from '../../src/platform/db/migration-kit.js';
import * as leaseJournal from '../../src/platform/db/migrations/0028_sqlite_lease_journal.js';
import { leaseDeliveries } from '../../src/sync/delivery/index.js';
import type { TestDatabase } from '../support/databases.js';
import { createTestDatabase } from '../support/databases.js';

// SQLite only: PostgreSQL keeps row leases and the migration does nothing there.
describe('migration 0028 (SQLite leases kept off the rows)', () => {
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('gives back a row lease left by a hub that died before the upgrade, its attempt counted', async () => {
    const db = testDb?.handle.db;
    if (!db) throw new Error('no database');
    // Migrations take an untyped Kysely: they run against whatever schema the database has reached.
    const schema = db as unknown as MigrationDb;
    await leaseJournal.down(schema);
    await seedDeliveries(db, { events: 2, subjects: 2, subscriber: 'flow:upgrade' });
    // What the old code left behind: a row leased by a hub that is gone, its attempt already counted.
    await db
      .updateTable('outbox_deliveries')
      .set({
        status: 'in_flight',
        lease_owner: 'old-hub',
        lease_expires_at: '2999-01-01T00:00:00.000Z',
        attempts: 1,
      })
      .where('id', '=', 1)
      .execute();
    await leaseJournal.up(schema);
    const rows = await db
      .selectFrom('outbox_deliveries')
      .select(['id', 'status', 'attempts', 'lease_owner'])
      .execute();
    expect(rows.map((r) => [Number(r.id), r.status, Number(r.attempts), r.lease_owner])).toEqual([
      [1, 'pending', 1, null],
      [2, 'pending', 0, null],
    ]);
    const leased = await leaseDeliveries(db, {
      subscriber: 'flow:upgrade',
      owner: 'new-hub',
      limit: 10,
      leaseMs: 60_000,
    });
    expect(leased.map((d) => [d.id, d.attempts])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});

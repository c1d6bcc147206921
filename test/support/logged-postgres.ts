import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/platform/db/index.js';
import { createTestDatabase } from './databases.js';

export interface LoggedPostgres {
  db: Kysely<Database>;
  /** For EXPLAIN of a statement the code under test sent, on a connection of its own. */
  pool: pg.Pool;
  /** Every statement sent through `db`, in order; tests clear it before the call they look at. */
  statements: { sql: string; parameters: readonly unknown[] }[];
}

/**
 * A fresh PostgreSQL test database whose Kysely handle records the statements it sends, so a test can
 * ask the server how it planned one of them. Dropped when `run` ends.
 */
export async function withLoggedPostgres(run: (pg: LoggedPostgres) => Promise<void>): Promise<void> {
  const testDb = await createTestDatabase('postgres');
  const statements: LoggedPostgres['statements'] = [];
  const pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') statements.push(event.query);
    },
  });
  try {
    await run({ db, pool, statements });
  } finally {
    await db.destroy();
    await testDb.drop();
  }
}

/** Marks the deliveries up to `lastId` delivered, as a drain would leave them (their index entries dead). */
export async function markDeliveredUpTo(db: Kysely<Database>, lastId: number): Promise<void> {
  await db
    .updateTable('outbox_deliveries')
    .set({ status: 'delivered', delivered_at: new Date().toISOString() })
    .where('id', '<=', lastId)
    .execute();
}

/** The lease statement among those recorded (the one that claims delivery rows). */
export function leaseStatementIn(
  statements: LoggedPostgres['statements'],
): LoggedPostgres['statements'][number] {
  const lease = statements.find((s) => s.sql.includes('update outbox_deliveries'));
  if (!lease) throw new Error('the lease statement was not seen');
  return lease;
}

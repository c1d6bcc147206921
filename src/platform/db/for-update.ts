import type { SelectQueryBuilder } from 'kysely';
import { engineOf } from './engine.js';

/**
 * Locks the selected rows for the rest of the transaction on PostgreSQL. SQLite needs no row lock: its
 * transactions start with BEGIN IMMEDIATE and so already hold the database's single write lock.
 */
export function forUpdate<DB, TB extends keyof DB, O>(
  db: { getExecutor(): { adapter: unknown } },
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return engineOf(db) === 'postgres' ? query.forUpdate() : query;
}

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { TUPLE_ROWS_MARK } from './tuple-rows.js';

/**
 * Kysely prepares every SQLite query afresh, and preparing costs about a quarter of a simple write's
 * CPU time. Queries repeat (the same shapes with new parameters), so prepared statements are kept in
 * a small LRU keyed by SQL text. better-sqlite3 statements are reusable and not tied to a transaction.
 * A statement marked by `tupleRows` is switched to raw mode once, when it is prepared.
 */
export function withStatementCache(database: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql: string) => {
      const hit = cache.get(sql);
      if (hit) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = database.prepare(sql);
      if (sql.startsWith(TUPLE_ROWS_MARK)) statement.raw(true);
      cache.set(sql, statement);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}

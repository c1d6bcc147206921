import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';

/** The comment that tells the SQLite statement cache to return rows as arrays. */
export const TUPLE_ROWS_MARK = '/* tuple rows */';

/**
 * A SQLite query whose rows come back as arrays of their values in select order, typed by `Row`.
 * better-sqlite3 builds a row object property by property from C++, which costs about 2 µs per row of
 * ten columns; an array costs a fraction of that, and the caller builds its own object from it with
 * one fixed shape. For the dispatcher's lease, read a hundred rows at a time. SQLite only: on
 * PostgreSQL the comment is just a comment and rows stay objects.
 */
export function tupleRows<Row extends readonly unknown[]>(query: RawBuilder<unknown>): RawBuilder<Row> {
  return sql<Row>`${sql.raw(TUPLE_ROWS_MARK)} ${query}`;
}

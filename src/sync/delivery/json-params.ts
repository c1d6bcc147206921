import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';

// The hot path binds a whole batch as ONE parameter. The statement text then stays the same whatever
// the batch size, so SQLite reuses its prepared statement, neither engine re-plans a hundred
// placeholders on every batch, and the query builder does not walk a hundred value nodes.

/**
 * `<column> in <ids>` with the ids as one parameter: `= any(array)` on PostgreSQL, which it serves with
 * one index scan, and `in (json_each(…))` on SQLite.
 */
export function inList(
  db: Kysely<Database>,
  column: string,
  ids: readonly (number | string)[],
): RawBuilder<unknown> {
  const ref = sql.ref(column);
  if (engineOf(db) === 'sqlite') return sql`${ref} in (select value from json_each(${JSON.stringify(ids)}))`;
  const type = sql.raw(typeof ids[0] === 'string' ? 'text' : 'bigint');
  return sql`${ref} = any(${[...ids]}::${type}[])`;
}

export type ColumnType = 'bigint' | 'integer' | 'text';
export type Columns = Readonly<Record<string, ColumnType>>;
export type JsonRow = Record<string, string | number | null>;

function checkedNames(columns: Columns, ...more: string[]): string[] {
  const names = Object.keys(columns);
  // Names come from code, never from input; they are checked because they are spliced into the SQL.
  for (const name of [...names, ...more])
    if (!/^[a-z_]+$/.test(name)) throw new Error(`not a plain SQL name: ${name}`);
  return names;
}

/**
 * `(select a, b from <rows as one JSON parameter>)`: a derived table to alias, join or insert from.
 * Only the declared columns are sent, each row as an array in column order.
 */
export function jsonRows(
  db: Kysely<Database>,
  rows: readonly JsonRow[],
  columns: Columns,
): RawBuilder<unknown> {
  const names = checkedNames(columns);
  const json = JSON.stringify(rows.map((row) => names.map((n) => row[n] ?? null)));
  if (engineOf(db) === 'sqlite') {
    const picks = sql.raw(names.map((n, i) => `value ->> ${i} as ${n}`).join(', '));
    return sql`(select ${picks} from json_each(${json}))`;
  }
  const picks = sql.raw(names.map((n, i) => `(v ->> ${i})::${columns[n]} as ${n}`).join(', '));
  return sql`(select ${picks} from json_array_elements(${json}::json) as v)`;
}

/** `insert into <table> (<columns>) select … from <rows as one JSON parameter>` */
export function insertRows(
  db: Kysely<Database>,
  table: string,
  rows: readonly JsonRow[],
  columns: Columns,
): RawBuilder<unknown> {
  const names = checkedNames(columns, table).join(', ');
  return sql`insert into ${sql.raw(`${table} (${names})`)} select ${sql.raw(names)} from ${jsonRows(db, rows, columns)} as r`;
}

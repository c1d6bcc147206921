import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { engineOf } from './engine.js';

/**
 * Small helpers so one migration file runs on both engines. Conventions (docs/architecture.md):
 * ids are UUIDv7 text; timestamps ISO-8601 text; money integer minor units (bigint); quantities integer
 * thousandths (bigint); booleans 0/1 integers; JSON as text.
 */
export type MigrationDb = Kysely<unknown>;

export function isSqlite(db: MigrationDb): boolean {
  return engineOf(db) === 'sqlite';
}

/** An auto-increment bigint primary key named `column`. */
export function withSerialPrimaryKey<T extends string>(
  db: MigrationDb,
  table: CreateTableBuilder<T, never>,
  column: string,
): CreateTableBuilder<T, never> {
  return isSqlite(db)
    ? table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn(column, 'bigserial', (c) => c.primaryKey());
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

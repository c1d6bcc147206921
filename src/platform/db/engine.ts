import type { Kysely } from 'kysely';
import { SqliteAdapter } from 'kysely';

export const Engine = { sqlite: 'sqlite', postgres: 'postgres' } as const;
export type Engine = (typeof Engine)[keyof typeof Engine];

/** Which engine a Kysely instance (or transaction) talks to; migrations and leasing need to know. */
export function engineOf(db: Kysely<unknown> | { getExecutor(): { adapter: unknown } }): Engine {
  return db.getExecutor().adapter instanceof SqliteAdapter ? Engine.sqlite : Engine.postgres;
}

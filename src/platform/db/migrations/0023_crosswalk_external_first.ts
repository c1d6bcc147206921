import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';
import { isSqlite } from '../migration-kit.js';

/**
 * The crosswalk's external-id uniqueness as (external_id, connector, entity) instead of (connector,
 * entity, external_id): the same guarantee, but the index no longer shares the primary key's
 * (connector, entity) prefix. Without statistics (a crosswalk that was empty when last analyzed: any
 * initial sync, or a server with autovacuum off) PostgreSQL costs both indexes alike for the lease's
 * `local_id = any(…)` look-up, took the external-id one, and read every link of the connector and entity
 * for each batch: 9.7 ms per batch at 50,000 links, growing with the table (bench/sync-engine.ts). Now
 * only the primary key has a usable prefix for a local-id look-up, and only this index for an
 * external-id one. SQLite picks the index with the most equality terms and is left as it is.
 */
export async function up(db: MigrationDb): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table sync_crosswalk drop constraint sync_crosswalk_external_uq`.execute(db);
  await sql`alter table sync_crosswalk
    add constraint sync_crosswalk_external_uq unique (external_id, connector, entity)`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table sync_crosswalk drop constraint sync_crosswalk_external_uq`.execute(db);
  await sql`alter table sync_crosswalk
    add constraint sync_crosswalk_external_uq unique (connector, entity, external_id)`.execute(db);
}

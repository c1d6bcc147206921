import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';
import { isSqlite } from '../migration-kit.js';

/**
 * The bytes a delivery row gains when it is acknowledged: the status `pending` becomes `delivered` (2),
 * `delivered_at` and `first_try_started_at` get ISO times (24 each), `first_try_duration_ms` an integer
 * (0 bytes for 0 or 1 ms, 1 up to 127 ms, 2 up to 32 s).
 */
const DELIVERY_ROW_RESERVE_BYTES = 52;

/**
 * SQLite rewrites a row in place only while it still fits its page. Rows written back to back fill
 * their pages, so an acknowledgement that makes a hundred rows 50 bytes longer splits and rebalances
 * their pages, and that was a third of the acknowledgement's cost (bench/README.md, round 6). SQLite
 * has no fill factor; a reserve column stands in for one: a new delivery row carries 52 zero bytes,
 * and the acknowledgement that fills in the times sets the reserve to null, so the row keeps its
 * size (within 2 bytes). PostgreSQL writes a new row version on every update whatever its size: it
 * gets the column (so one table type fits both engines) without a default, and never writes it.
 */
export async function up(db: MigrationDb): Promise<void> {
  const reserve = sql.raw(`x'${'00'.repeat(DELIVERY_ROW_RESERVE_BYTES)}'`);
  await db.schema
    .alterTable('outbox_deliveries')
    .addColumn('row_reserve', isSqlite(db) ? 'blob' : 'bytea', (c) =>
      isSqlite(db) ? c.defaultTo(reserve) : c,
    )
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('outbox_deliveries').dropColumn('row_reserve').execute();
}

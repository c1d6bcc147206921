import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';
import { isSqlite } from '../migration-kit.js';

/**
 * SQLite keeps its delivery leases off the delivery rows (docs/sync/delivery-and-retries.md, "Leases on
 * SQLite"): one `sync_leases` row per leased batch lists the deliveries it holds, which stay `pending`
 * until acknowledged. Leasing then writes one small row instead of rewriting a hundred delivery rows and
 * moving their due-index entries, and the acknowledgement is the one write a delivery row gets.
 * PostgreSQL keeps row leases (`FOR UPDATE SKIP LOCKED` between hubs) and has no such table.
 *
 * A lease still recorded on a delivery row (a hub that died before this upgrade) is given back here, its
 * attempt still counted, as the lease's expiry would have done.
 */
export async function up(db: MigrationDb): Promise<void> {
  if (!isSqlite(db)) return;
  await db.schema
    .createTable('sync_leases')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('subscriber', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    // JSON array of outbox_deliveries ids: a lease is read and dropped whole, never searched by delivery.
    .addColumn('delivery_ids', 'text', (c) => c.notNull())
    .execute();
  await sql`update outbox_deliveries set status = 'pending', lease_owner = null, lease_expires_at = null
             where status = 'in_flight'`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  if (!isSqlite(db)) return;
  // Held leases are dropped: their deliveries are pending already and are leased again.
  await db.schema.dropTable('sync_leases').execute();
}

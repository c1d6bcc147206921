import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';

/**
 * The delivered-by-time index (0014) held every delivery under its status, so leasing (pending →
 * in_flight) and acknowledging (→ delivered) each moved an entry in it: two index rewrites per event
 * on the dispatcher's hot path. Its readers (latency window, history pruning) only ask for delivered
 * rows, so a partial index over those serves them and is written once, at acknowledgement.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('outbox_deliveries_delivered_idx').execute();
  await db.schema
    .createIndex('outbox_deliveries_delivered_at_idx')
    .on('outbox_deliveries')
    .column('delivered_at')
    .where(sql.ref('status'), '=', 'delivered')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('outbox_deliveries_delivered_at_idx').execute();
  await db.schema
    .createIndex('outbox_deliveries_delivered_idx')
    .on('outbox_deliveries')
    .columns(['status', 'delivered_at'])
    .execute();
}

import type { MigrationDb } from '../migration-kit.js';
import { withSerialPrimaryKey } from '../migration-kit.js';

// Bulk replays of dead letters (docs/sync/dead-letters.md): which deliveries one replay put back in the
// queue, so its progress (delivered, still pending, dead again) can be read while the dispatcher works,
// by whoever asks, long after the request that started it.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('sync_replays')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('selector', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sync_replays_created_idx')
    .on('sync_replays')
    .columns(['created_at'])
    .execute();
  await withSerialPrimaryKey(db, db.schema.createTable('sync_replay_items'), 'id')
    .addColumn('replay_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sync_replay_items_replay_idx')
    .on('sync_replay_items')
    .columns(['replay_id', 'delivery_id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('sync_replay_items').execute();
  await db.schema.dropTable('sync_replays').execute();
}

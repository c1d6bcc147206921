import type { MigrationDb } from '../migration-kit.js';

// A bulk replay's outcome, kept on the replay once nothing of it is pending (docs/sync/dead-letters.md):
// counting a finished replay's letters on every read cost a join over all its items (100k items: a third
// of a second per poll with the SQLite writer's thread blocked), and the counts no longer change.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('sync_replays').addColumn('delivered', 'integer').execute();
  await db.schema.alterTable('sync_replays').addColumn('dead', 'integer').execute();
  await db.schema.alterTable('sync_replays').addColumn('still_dead', 'text').execute();
  await db.schema.alterTable('sync_replays').addColumn('finished_at', 'text').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const column of ['finished_at', 'still_dead', 'dead', 'delivered'])
    await db.schema.alterTable('sync_replays').dropColumn(column).execute();
}

import type { MigrationDb } from '../migration-kit.js';

// Which imports folder holds a job's upload (docs/imports.md). Hubs sharing a PostgreSQL database each
// keep uploads in their own data folder; at start a hub must tell a job whose upload is missing from its
// own folder (failed: nobody can ever run it, and it would hold a place among the 20 active imports for
// good) from another hub's job (left to that hub). Null for jobs stored before this column.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('import_jobs').addColumn('folder_id', 'text').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('import_jobs').dropColumn('folder_id').execute();
}

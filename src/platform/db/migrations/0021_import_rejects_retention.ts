import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';

// Bounded import reports (docs/imports.md): a job keeps its first 10,000 rejected rows and counts the rest
// (`rejects_kept` says how many rows import_rejects holds for it), and a finished job's rejects and upload
// are pruned after sync.historyDays (`pruned_at`). A bad file of millions of rows once meant millions of
// reject rows, kept for ever.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .alterTable('import_jobs')
    .addColumn('rejects_kept', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('import_jobs').addColumn('pruned_at', 'text').execute();
  // Jobs so far kept every rejected row.
  await sql`update import_jobs set rejects_kept = rejected`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('import_jobs').dropColumn('pruned_at').execute();
  await db.schema.alterTable('import_jobs').dropColumn('rejects_kept').execute();
}

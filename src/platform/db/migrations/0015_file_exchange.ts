import type { MigrationDb } from '../migration-kit.js';

// File exchange (docs/connectors/file-exchange.md): the content hashes of imported inbound files, so
// dropping the same file again is a no-op whatever its name. Outbound idempotency lives in a ledger file
// next to the exchange folders (the connector has no database), not here.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('file_exchange_imports')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull())
    .addColumn('applied', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .addColumn('archived_as', 'text', (c) => c.notNull())
    .addColumn('rejects_file', 'text')
    .execute();
  await db.schema
    .createIndex('file_exchange_imports_processed_idx')
    .on('file_exchange_imports')
    .columns(['processed_at'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('file_exchange_imports').execute();
}

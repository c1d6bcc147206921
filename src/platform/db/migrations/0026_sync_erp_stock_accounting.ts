import type { MigrationDb } from '../migration-kit.js';

// What the ERP stock level pull and the ERP receipt pull have each put into the stock ledger, per item ×
// warehouse, so the two can run together without counting a receipt twice (docs/connectors/tryton.md,
// "Receipts and levels together"; src/sync/inbound/erp-stock-accounting.ts):
// - sync_erp_stock_levels: the last ERP level on-hand was set to, and the ERP receipt stamp it was read
//   as of (every receipt stamped at or before it is inside that level);
// - sync_erp_stock_receipts: each receipt movement the receipt pull booked, with its ERP stamp, and the
//   reconciling adjustment booked with it when a level had already counted it.
// No foreign keys to the stock tables, so 0004 still rolls back on its own.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('sync_erp_stock_levels')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_erp_stock_levels_pk', ['item_id', 'warehouse_id'])
    .execute();

  await db.schema
    .createTable('sync_erp_stock_receipts')
    .addColumn('movement_id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'text', (c) => c.notNull())
    .addColumn('erp_stamp', 'text', (c) => c.notNull())
    .addColumn('reconciled_by', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sync_erp_stock_receipts_pair_idx')
    .on('sync_erp_stock_receipts')
    .columns(['item_id', 'warehouse_id', 'erp_stamp'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('sync_erp_stock_receipts').execute();
  await db.schema.dropTable('sync_erp_stock_levels').execute();
}

import type { MigrationDb } from '../migration-kit.js';

// Asset valuation and equipment bought on purchase orders (docs/modules/assets.md):
// - assets get the ERP's book value, accumulated depreciation (decimal strings, the company currency) and
//   the date of the last depreciation posted;
// - asset_purchases is a purchase order as Fieldsync knows it (one row per ERP purchase, keyed by its
//   number), and asset_purchase_units says which asset stands for which unit of which purchase line. The
//   primary key (purchase, line, unit) is what makes registering a purchase idempotent: a re-pulled
//   purchase, or one whose quantity grew, only ever adds the units that have no asset yet. No foreign key
//   to assets, so 0006 still rolls back on its own (test/modules/assets-migrations.test.ts).

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('assets').addColumn('book_value', 'text').execute();
  await db.schema.alterTable('assets').addColumn('accumulated_depreciation', 'text').execute();
  await db.schema.alterTable('assets').addColumn('last_depreciation_date', 'text').execute();

  await db.schema
    .createTable('asset_purchases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purchase_ref', 'text', (c) => c.notNull().unique())
    .addColumn('supplier_reference', 'text')
    .addColumn('purchase_date', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('cost_center', 'text')
    .addColumn('initial_status', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('asset_purchase_units')
    .addColumn('purchase_id', 'text', (c) => c.notNull())
    .addColumn('line_ref', 'text', (c) => c.notNull())
    .addColumn('unit_no', 'integer', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('asset_purchase_units_pk', ['purchase_id', 'line_ref', 'unit_no'])
    .execute();
  await db.schema
    .createIndex('asset_purchase_units_asset_idx')
    .on('asset_purchase_units')
    .column('asset_id')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('asset_purchase_units').execute();
  await db.schema.dropTable('asset_purchases').execute();
  for (const column of ['last_depreciation_date', 'accumulated_depreciation', 'book_value'])
    await db.schema.alterTable('assets').dropColumn(column).execute();
}

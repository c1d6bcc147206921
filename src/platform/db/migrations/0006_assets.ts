import type { MigrationDb } from '../migration-kit.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial_number', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('cost_center', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('install_date', 'text')
    .addColumn('warranty_parts_until', 'text')
    .addColumn('warranty_labor_until', 'text')
    .addColumn('purchase_date', 'text')
    .addColumn('purchase_ref', 'text')
    .addColumn('disposal_date', 'text')
    .addColumn('disposal_reason', 'text')
    .addColumn('parent_asset_id', 'text')
    .addColumn('meter_value_milli', 'bigint')
    .addColumn('meter_reading_at', 'text')
    .addColumn('notes', 'text')
    .addColumn('external_refs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assets_item_serial_uq', ['item_id', 'serial_number'])
    .execute();
  const assetIndexes: [string, string[]][] = [
    ['assets_customer_idx', ['customer_id', 'id']],
    ['assets_site_idx', ['site_id', 'id']],
    ['assets_status_idx', ['status', 'id']],
    ['assets_serial_idx', ['serial_number']],
    ['assets_cost_center_idx', ['cost_center']],
    ['assets_parent_idx', ['parent_asset_id']],
    ['assets_updated_idx', ['updated_at', 'id']],
  ];
  for (const [name, columns] of assetIndexes)
    await db.schema.createIndex(name).on('assets').columns(columns).execute();

  await db.schema
    .createTable('asset_moves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('moved_at', 'text', (c) => c.notNull())
    .addColumn('from_customer_id', 'text', (c) => c.notNull())
    .addColumn('from_site_id', 'text', (c) => c.notNull())
    .addColumn('from_cost_center', 'text')
    .addColumn('to_customer_id', 'text', (c) => c.notNull())
    .addColumn('to_site_id', 'text', (c) => c.notNull())
    .addColumn('to_cost_center', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('cascaded_from_asset_id', 'text')
    .addColumn('detached_from_asset_id', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asset_moves_asset_idx')
    .on('asset_moves')
    .columns(['asset_id', 'moved_at'])
    .execute();

  await db.schema
    .createTable('asset_status_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asset_status_changes_asset_idx')
    .on('asset_status_changes')
    .columns(['asset_id', 'effective_at'])
    .execute();

  await db.schema
    .createTable('asset_meter_readings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id'))
    .addColumn('reading_at', 'text', (c) => c.notNull())
    .addColumn('value_milli', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('meter_replaced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asset_meter_readings_asset_idx')
    .on('asset_meter_readings')
    .columns(['asset_id', 'reading_at', 'id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['asset_meter_readings', 'asset_status_changes', 'asset_moves', 'assets']) {
    await db.schema.dropTable(table).execute();
  }
}

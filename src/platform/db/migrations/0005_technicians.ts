import type { MigrationDb } from '../migration-kit.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('technicians')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]'))
    // No foreign key: warehouses belong to the stock module, which validates the van through its API.
    .addColumn('home_van_warehouse_id', 'text')
    .addColumn('cost_rate_minor', 'bigint', (c) => c.notNull())
    .addColumn('cost_currency', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('technicians_region_idx').on('technicians').columns(['region', 'id']).execute();
  await db.schema
    .createIndex('technicians_van_idx')
    .on('technicians')
    .column('home_van_warehouse_id')
    .execute();
  await db.schema
    .createIndex('technicians_updated_idx')
    .on('technicians')
    .columns(['updated_at', 'id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('technicians').execute();
}

import type { MigrationDb } from '../migration-kit.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('maintenance_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text')
    .addColumn('contract_id', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('interval_count', 'integer')
    .addColumn('interval_unit', 'text')
    .addColumn('meter_interval_milli', 'bigint')
    .addColumn('meter_start_milli', 'bigint')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('wo_type', 'text', (c) => c.notNull())
    .addColumn('wo_priority', 'text', (c) => c.notNull())
    .addColumn('wo_title', 'text')
    .addColumn('wo_description', 'text')
    .addColumn('checklist_template_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_generated_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_plans_status_idx')
    .on('maintenance_plans')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('maintenance_plans_asset_idx')
    .on('maintenance_plans')
    .column('asset_id')
    .execute();
  await db.schema
    .createIndex('maintenance_plans_contract_idx')
    .on('maintenance_plans')
    .column('contract_id')
    .execute();

  await db.schema
    .createTable('maintenance_plan_occurrences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('maintenance_plans.id'))
    .addColumn('due_key', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('work_order_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('maintenance_plan_occurrences_uq', ['plan_id', 'due_key'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('maintenance_plan_occurrences').execute();
  await db.schema.dropTable('maintenance_plans').execute();
}

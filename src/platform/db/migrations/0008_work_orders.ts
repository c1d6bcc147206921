import type { MigrationDb } from '../migration-kit.js';

/**
 * Work orders, their execution lines, checklist templates and per-type policies. No foreign keys to other
 * modules' tables: those modules are reached through their public functions, and their migrations may
 * evolve independently.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('work_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text')
    .addColumn('site_label', 'text')
    .addColumn('region', 'text')
    .addColumn('contract_id', 'text')
    .addColumn('contract_version_id', 'text')
    .addColumn('plan_id', 'text')
    .addColumn('plan_due_key', 'text')
    .addColumn('due_date', 'text')
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('response_hours', 'integer')
    .addColumn('resolution_hours', 'integer')
    .addColumn('response_due_at', 'text')
    .addColumn('resolution_due_at', 'text')
    .addColumn('planned_start', 'text')
    .addColumn('planned_end', 'text')
    .addColumn('technician_id', 'text')
    .addColumn('technician_name', 'text')
    .addColumn('checklist_template_id', 'text')
    .addColumn('checklist_template_version', 'integer')
    .addColumn('checklist', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('report_hash', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_refs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('work_orders_plan_due_uq', ['plan_id', 'plan_due_key'])
    .execute();
  const indexes: [string, string[]][] = [
    ['work_orders_updated_idx', ['updated_at', 'id']],
    ['work_orders_status_idx', ['status', 'id']],
    ['work_orders_customer_idx', ['customer_id', 'id']],
    ['work_orders_contract_idx', ['contract_id']],
    ['work_orders_planned_idx', ['planned_start']],
    ['work_orders_technician_planned_idx', ['technician_id', 'planned_start']],
    ['work_orders_region_planned_idx', ['region', 'planned_start']],
  ];
  for (const [name, columns] of indexes)
    await db.schema.createIndex(name).on('work_orders').columns(columns).execute();

  await db.schema
    .createTable('work_order_assets')
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_order_assets_pk', ['work_order_id', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('work_order_assets_asset_idx')
    .on('work_order_assets')
    .columns(['asset_id', 'work_order_id'])
    .execute();

  await db.schema
    .createTable('work_order_labor')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('technician_id', 'text', (c) => c.notNull())
    .addColumn('technician_name', 'text', (c) => c.notNull())
    .addColumn('labor_type', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('billable', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_order_labor_wo_idx')
    .on('work_order_labor')
    .columns(['work_order_id', 'id'])
    .execute();

  await db.schema
    .createTable('work_order_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('quantity_milli', 'bigint', (c) => c.notNull())
    .addColumn('serials', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('warehouse_id', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text')
    .addColumn('stock_reference', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_order_parts_wo_idx')
    .on('work_order_parts')
    .columns(['work_order_id', 'id'])
    .execute();

  await db.schema
    .createTable('work_order_answers')
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_order_answers_pk', ['work_order_id', 'item_key'])
    .execute();

  await db.schema
    .createTable('work_order_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('image_png_base64', 'text', (c) => c.notNull())
    .addColumn('image_sha256', 'text', (c) => c.notNull())
    .addColumn('report_hash', 'text', (c) => c.notNull())
    .addColumn('invalidated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_order_signatures_wo_idx')
    .on('work_order_signatures')
    .columns(['work_order_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('work_order_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('before_snapshot', 'text', (c) => c.notNull())
    .addColumn('before_report_hash', 'text')
    .addColumn('after_report_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('work_order_revisions_uq', ['work_order_id', 'revision'])
    .execute();

  await db.schema
    .createTable('work_order_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('checklist_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('default_for_type', 'text', (c) => c.unique())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('work_order_type_policies')
    .addColumn('type', 'text', (c) => c.primaryKey())
    .addColumn('signature_required', 'integer', (c) => c.notNull())
    .addColumn('labor_required', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('work_order_type_policies' as never)
    .values([
      { type: 'preventive', signature_required: 0, labor_required: 1, updated_at: now },
      { type: 'corrective', signature_required: 1, labor_required: 1, updated_at: now },
      { type: 'installation', signature_required: 1, labor_required: 1, updated_at: now },
      { type: 'inspection', signature_required: 0, labor_required: 1, updated_at: now },
    ] as never)
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'work_order_type_policies',
    'checklist_templates',
    'work_order_counters',
    'work_order_revisions',
    'work_order_signatures',
    'work_order_answers',
    'work_order_parts',
    'work_order_labor',
    'work_order_assets',
    'work_orders',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

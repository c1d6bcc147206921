import type { MigrationDb } from '../migration-kit.js';

// Maintenance costs of work orders per cost center (docs/modules/work-orders.md, "Costs"), as a ledger of
// what was booked: the costing at completion, then at each correction of a completed work order, adds one
// row per cost center and currency whose cost changed, holding the difference. The sum of a key's rows is
// what the ERP was told, so a correction books only the change and never a cost twice. Amounts are exact
// decimal strings in the currency's exponent.

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('work_order_costs')
    .addColumn('work_order_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    // '' stands for "no cost center" (no asset, or an asset without one) so the key stays a primary key.
    .addColumn('cost_center', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('labor', 'text', (c) => c.notNull())
    .addColumn('parts', 'text', (c) => c.notNull())
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('asset_ids', 'text', (c) => c.notNull())
    .addColumn('costed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_order_costs_pk', ['work_order_id', 'revision', 'cost_center', 'currency'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('work_order_costs').execute();
}

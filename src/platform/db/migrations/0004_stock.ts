import { sql } from 'kysely';
import type { MigrationDb } from '../migration-kit.js';
import { isSqlite } from '../migration-kit.js';

const movementKinds = sql`kind in ('receipt', 'issue', 'return', 'transfer_out', 'transfer_in', 'adjustment')`;
// The sign of a row follows from its kind; the database refuses a receipt that takes stock out.
const movementSign = sql`(kind in ('receipt', 'return', 'transfer_in') and quantity_milli > 0)
  or (kind in ('issue', 'transfer_out') and quantity_milli < 0)
  or (kind = 'adjustment' and quantity_milli <> 0)`;

/** The ledger is append-only: corrections are new rows, never edits. Enforced by the engine itself. */
async function forbidLedgerEdits(db: MigrationDb): Promise<void> {
  if (isSqlite(db)) {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger stock_movements_no_${op} before ${op} on stock_movements
           begin select raise(abort, 'stock_movements is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create function stock_movements_append_only() returns trigger language plpgsql as $$
       begin raise exception 'stock_movements is append-only' using errcode = 'P0001'; end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger stock_movements_append_only before update or delete on stock_movements
       for each statement execute function stock_movements_append_only()`,
    )
    .execute(db);
}

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('warehouses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('central', 'regional', 'van')`))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('erp_location_ref', 'text')
    .addColumn('allow_negative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('warehouses_region_idx').on('warehouses').columns(['region', 'id']).execute();

  await db.schema
    .createTable('stock_movements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(movementKinds))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('quantity_milli', 'bigint', (c) => c.notNull())
    .addColumn('balance_after_milli', 'bigint', (c) => c.notNull())
    .addColumn('serials', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('reference', 'text')
    .addColumn('work_order_id', 'text')
    .addColumn('counterpart_warehouse_id', 'text', (c) => c.references('warehouses.id'))
    .addColumn('reason', 'text')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('cycle_count_id', 'text')
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addCheckConstraint('stock_movements_sign_ck', movementSign)
    .execute();
  await db.schema
    .createIndex('stock_movements_item_wh_idx')
    .on('stock_movements')
    .columns(['item_id', 'warehouse_id', 'quantity_milli'])
    .execute();
  await db.schema
    .createIndex('stock_movements_wh_idx')
    .on('stock_movements')
    .columns(['warehouse_id', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_movements_posted_idx')
    .on('stock_movements')
    .columns(['posted_at', 'id'])
    .execute();
  await db.schema.createIndex('stock_movements_group_idx').on('stock_movements').column('group_id').execute();
  await db.schema
    .createIndex('stock_movements_cycle_count_idx')
    .on('stock_movements')
    .columns(['cycle_count_id', 'item_id'])
    .execute();
  await db.schema
    .createIndex('stock_movements_work_order_idx')
    .on('stock_movements')
    .columns(['work_order_id', 'id'])
    .execute();
  await forbidLedgerEdits(db);

  await db.schema
    .createTable('stock_levels')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('quantity_milli', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_levels_pk', ['item_id', 'warehouse_id'])
    // SQLite: store rows in key order, so reading all on-hand in (item, warehouse) order is one scan.
    .$call((t) => (isSqlite(db) ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema
    .createIndex('stock_levels_wh_idx')
    .on('stock_levels')
    .columns(['warehouse_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('stock_serials')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('warehouse_id', 'text', (c) => c.references('warehouses.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('in_stock', 'issued', 'written_off')`),
    )
    .addColumn('work_order_id', 'text')
    .addColumn('last_movement_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_serials_pk', ['item_id', 'serial'])
    .addCheckConstraint('stock_serials_place_ck', sql`(status = 'in_stock') = (warehouse_id is not null)`)
    .execute();
  await db.schema
    .createIndex('stock_serials_wh_idx')
    .on('stock_serials')
    .columns(['warehouse_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('cycle_counts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warehouse_id', 'text', (c) => c.notNull().references('warehouses.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'posted', 'cancelled')`))
    .addColumn('counted_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cycle_counts_wh_idx')
    .on('cycle_counts')
    .columns(['warehouse_id', 'id'])
    .execute();

  await db.schema
    .createTable('cycle_count_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cycle_count_id', 'text', (c) => c.notNull().references('cycle_counts.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('expected_milli', 'bigint', (c) => c.notNull())
    .addColumn('counted_milli', 'bigint', (c) => c.notNull())
    .addColumn('expected_serials', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('counted_serials', 'text', (c) => c.notNull().defaultTo('[]'))
    .addUniqueConstraint('cycle_count_lines_item_uq', ['cycle_count_id', 'item_id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'cycle_count_lines',
    'cycle_counts',
    'stock_serials',
    'stock_levels',
    'stock_movements',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  if (!isSqlite(db)) await sql.raw('drop function if exists stock_movements_append_only()').execute(db);
  await db.schema.dropTable('warehouses').execute();
}

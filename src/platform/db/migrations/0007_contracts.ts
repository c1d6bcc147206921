import type { MigrationDb } from '../migration-kit.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('price_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('external_refs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('price_lists_customer_idx')
    .on('price_lists')
    .columns(['customer_id', 'currency'])
    .execute();
  await db.schema
    .createIndex('price_lists_default_idx')
    .on('price_lists')
    .columns(['is_default', 'currency'])
    .execute();

  await db.schema
    .createTable('price_list_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('price_list_id', 'text', (c) => c.notNull().references('price_lists.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('price_list_lines_ref_uq', ['price_list_id', 'kind', 'ref'])
    .execute();

  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('notes', 'text')
    .addColumn('terminated_on', 'text')
    .addColumn('termination_reason', 'text')
    .addColumn('external_refs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contracts_customer_idx')
    .on('contracts')
    .columns(['customer_id', 'status'])
    .execute();
  await db.schema
    .createIndex('contracts_updated_idx')
    .on('contracts')
    .columns(['updated_at', 'id'])
    .execute();

  await db.schema
    .createTable('contract_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('coverage', 'text', (c) => c.notNull())
    .addColumn('caps', 'text', (c) => c.notNull())
    .addColumn('price_list_id', 'text')
    .addColumn('discounts', 'text', (c) => c.notNull())
    .addColumn('sla', 'text')
    .addColumn('recurring_fee_minor', 'bigint')
    .addColumn('recurring_fee_period', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contract_versions_no_uq', ['contract_id', 'version_no'])
    .execute();
  await db.schema
    .createIndex('contract_versions_validity_idx')
    .on('contract_versions')
    .columns(['contract_id', 'valid_from'])
    .execute();

  await db.schema
    .createTable('contract_coverage_links')
    .addColumn('contract_version_id', 'text', (c) => c.notNull().references('contract_versions.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contract_coverage_links_pk', ['contract_version_id', 'kind', 'ref_id'])
    .execute();
  await db.schema
    .createIndex('contract_coverage_links_ref_idx')
    .on('contract_coverage_links')
    .columns(['kind', 'ref_id'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of [
    'contract_coverage_links',
    'contract_versions',
    'contracts',
    'price_list_lines',
    'price_lists',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

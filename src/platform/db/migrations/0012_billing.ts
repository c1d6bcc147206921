import type { MigrationDb } from '../migration-kit.js';

/**
 * Billing documents, their lines, the cap consumption ledger and number counters. Two UNIQUE columns
 * carry the idempotency rules (NULLs never collide on either engine): `active_work_order_id` (one active
 * document per work order; cleared when the document is credited) and `fee_key` (one recurring-fee
 * document per contract and period). No foreign keys to other modules' tables.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('billing_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('document_date', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('customer_code', 'text')
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_legal_name', 'text')
    .addColumn('customer_tax_id', 'text')
    .addColumn('billing_address', 'text')
    .addColumn('region', 'text')
    .addColumn('cost_center', 'text')
    .addColumn('work_order_id', 'text')
    .addColumn('work_order_number', 'text')
    .addColumn('work_order_type', 'text')
    .addColumn('work_order_completed_at', 'text')
    .addColumn('work_order_revision', 'integer')
    .addColumn('active_work_order_id', 'text', (c) => c.unique())
    .addColumn('contract_id', 'text')
    .addColumn('contract_number', 'text')
    .addColumn('contract_version_id', 'text')
    .addColumn('contract_version_no', 'integer')
    .addColumn('fee_key', 'text', (c) => c.unique())
    .addColumn('period_key', 'text')
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('credits_document_id', 'text', (c) => c.references('billing_documents.id'))
    .addColumn('credited_by_document_id', 'text', (c) => c.references('billing_documents.id'))
    .addColumn('credit_reason', 'text')
    .addColumn('gross_minor', 'bigint', (c) => c.notNull())
    .addColumn('discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('covered_minor', 'bigint', (c) => c.notNull())
    .addColumn('covered_by_contract_minor', 'bigint', (c) => c.notNull())
    .addColumn('covered_by_warranty_minor', 'bigint', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('zero_amount', 'integer', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cap_consumption', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('pricing', 'text')
    .addColumn('external_ref', 'text')
    .addColumn('erp_number', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('invoiced_at', 'text')
    .addColumn('credited_at', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const indexes: [string, string[]][] = [
    ['billing_documents_date_idx', ['document_date', 'id']],
    ['billing_documents_status_idx', ['status', 'id']],
    ['billing_documents_customer_idx', ['customer_id', 'document_date']],
    ['billing_documents_contract_idx', ['contract_id', 'document_date']],
    ['billing_documents_work_order_idx', ['work_order_id']],
  ];
  for (const [name, columns] of indexes)
    await db.schema.createIndex(name).on('billing_documents').columns(columns).execute();

  await db.schema
    .createTable('billing_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('billing_documents.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity_milli', 'bigint', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('unit_price', 'text', (c) => c.notNull())
    .addColumn('price_list_id', 'text')
    .addColumn('price_basis', 'text')
    .addColumn('gross_minor', 'bigint', (c) => c.notNull())
    .addColumn('discount_pct', 'text', (c) => c.notNull())
    .addColumn('discount_minor', 'bigint', (c) => c.notNull())
    .addColumn('covered_pct', 'text', (c) => c.notNull())
    .addColumn('covered_minor', 'bigint', (c) => c.notNull())
    .addColumn('covered_by_contract_minor', 'bigint', (c) => c.notNull())
    .addColumn('covered_by_warranty_minor', 'bigint', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_category', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('sku', 'text')
    .addColumn('asset_id', 'text')
    .addColumn('cost_center', 'text')
    .addColumn('coverage', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addUniqueConstraint('billing_lines_document_line_uq', ['document_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('billing_cap_usage')
    .addColumn('document_id', 'text', (c) => c.notNull().references('billing_documents.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull())
    .addColumn('cap_id', 'text', (c) => c.notNull())
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('consumed_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_cap_usage_pk', ['document_id', 'cap_id', 'period_key'])
    .execute();
  await db.schema
    .createIndex('billing_cap_usage_contract_idx')
    .on('billing_cap_usage')
    .columns(['contract_id', 'cap_id', 'period_key'])
    .execute();

  await db.schema
    .createTable('billing_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('billing_counters').ifExists().execute();
  await db.schema.dropTable('billing_cap_usage').ifExists().execute();
  await db.schema.dropTable('billing_lines').ifExists().execute();
  await db.schema.dropTable('billing_documents').ifExists().execute();
}

/**
 * Billing documents: one row per document (work-order invoice draft, recurring contract fee, credit note),
 * its lines, the cap consumption ledger and the number counters. Money is integer minor units next to a
 * currency; unit prices keep their own precision (a screw at 0.0125) and are stored as decimal text.
 */
export interface BillingDocumentsTable {
  id: string;
  /** BD-000001 for invoices (work orders and fees), CN-000001 for credit notes; from billing_counters. */
  number: string;
  /** work_order | recurring_fee | credit_note */
  kind: string;
  /** draft | approved | sent_to_erp | invoiced | credited */
  status: string;
  /** 'YYYY-MM-DD': completion day (work orders), period start (fees), day of crediting (credit notes). */
  document_date: string;
  currency: string;
  customer_id: string;
  customer_code: string | null;
  customer_name: string;
  customer_legal_name: string | null;
  customer_tax_id: string | null;
  /** JSON: the billing site's address as it was when the document was made, or null. */
  billing_address: string | null;
  /** The work order's region (work orders), the billing site's region (fees); reports filter on it. */
  region: string | null;
  /** The primary asset's cost center. */
  cost_center: string | null;
  work_order_id: string | null;
  work_order_number: string | null;
  work_order_type: string | null;
  work_order_completed_at: string | null;
  /** The work order revision that was priced (0 = as completed, +1 per correction). */
  work_order_revision: number | null;
  /** = work_order_id while the document is not credited: UNIQUE, so a work order has one active document. */
  active_work_order_id: string | null;
  contract_id: string | null;
  contract_number: string | null;
  contract_version_id: string | null;
  contract_version_no: number | null;
  /** '<contractId>|<periodKey>' on recurring fees: UNIQUE, one fee document per contract and period. */
  fee_key: string | null;
  period_key: string | null;
  period_start: string | null;
  period_end: string | null;
  /** On a credit note: the document it credits. */
  credits_document_id: string | null;
  /** On a credited document: its credit note. */
  credited_by_document_id: string | null;
  credit_reason: string | null;
  gross_minor: number;
  discount_minor: number;
  covered_minor: number;
  covered_by_contract_minor: number;
  covered_by_warranty_minor: number;
  net_minor: number;
  zero_amount: number;
  /** JSON string[]: sentences about the whole document. */
  explanation: string;
  /** JSON: the engine's capConsumption (work-order documents), else []. */
  cap_consumption: string;
  /** JSON: { engine, priceLists, warrantyPrecedence } of the pricing run, or null. */
  pricing: string | null;
  /** Set by markSent: the reference the ERP connector gave the delivery. */
  external_ref: string | null;
  /** Set by markInvoiced: the ERP's invoice number. */
  erp_number: string | null;
  approved_at: string | null;
  sent_at: string | null;
  invoiced_at: string | null;
  credited_at: string | null;
  /** 0 when created, +1 per re-pricing. */
  revision: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BillingLinesTable {
  id: string;
  document_id: string;
  line_no: number;
  /** labor | part | fee | recurring_fee */
  kind: string;
  code: string;
  description: string;
  quantity_milli: number;
  unit: string;
  /** Decimal string, up to 6 decimals. */
  unit_price: string;
  price_list_id: string | null;
  /** item | category: whether the unit price was the item's own line or its category's fallback. */
  price_basis: string | null;
  gross_minor: number;
  discount_pct: string;
  discount_minor: number;
  covered_pct: string;
  covered_minor: number;
  covered_by_contract_minor: number;
  covered_by_warranty_minor: number;
  net_minor: number;
  tax_category: string;
  item_id: string | null;
  sku: string | null;
  asset_id: string | null;
  cost_center: string | null;
  /** JSON: who pays the covered amount ([{ source, reference, amount }]). */
  coverage: string;
  /** JSON: [{ code, text }]. */
  reasons: string;
  /** JSON: the engine's line detail, or the fee's period and proration. */
  detail: string;
}

/**
 * The cap ledger: what each document consumed of each cap in each period. A credit note books the
 * negation of its original's rows; re-pricing a draft replaces the draft's rows. Usage of a cap in a
 * period is the sum over documents.
 */
export interface BillingCapUsageTable {
  document_id: string;
  contract_id: string;
  cap_id: string;
  period_key: string;
  consumed_minor: number;
  currency: string;
  created_at: string;
}

export interface BillingCountersTable {
  name: string;
  value: number;
}

export interface BillingTables {
  billing_documents: BillingDocumentsTable;
  billing_lines: BillingLinesTable;
  billing_cap_usage: BillingCapUsageTable;
  billing_counters: BillingCountersTable;
}

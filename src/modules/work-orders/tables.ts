/**
 * Work orders and what is recorded while executing them. Names of customers, sites, technicians and
 * items are copied onto the work order when they are set, so a signed service report does not change
 * when someone later renames the customer (the report hash must stay reproducible).
 */
export interface WorkOrdersTable {
  id: string;
  /** Human number, WO-000123, from work_order_counters. */
  number: string;
  /** preventive | corrective | installation | inspection */
  type: string;
  /** draft | scheduled | in_progress | completed | closed | cancelled */
  status: string;
  /** low | normal | high | urgent */
  priority: string;
  title: string;
  description: string | null;
  customer_id: string;
  customer_name: string;
  site_id: string | null;
  site_label: string | null;
  /** The site's region when the work order was created; the planning view filters on it. */
  region: string | null;
  contract_id: string | null;
  contract_version_id: string | null;
  plan_id: string | null;
  plan_due_key: string | null;
  /** 'YYYY-MM-DD' the maintenance is due (plan-generated work orders). */
  due_date: string | null;
  reported_at: string;
  response_hours: number | null;
  resolution_hours: number | null;
  response_due_at: string | null;
  resolution_due_at: string | null;
  planned_start: string | null;
  planned_end: string | null;
  technician_id: string | null;
  technician_name: string | null;
  checklist_template_id: string | null;
  checklist_template_version: number | null;
  /** JSON array: the template's items as they were when assigned. */
  checklist: string;
  started_at: string | null;
  completed_at: string | null;
  closed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  /** SHA-256 of the service report at completion (updated by corrections). */
  report_hash: string | null;
  /** 0 for the original execution; +1 per correction. */
  revision: number;
  external_refs: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkOrderAssetsTable {
  work_order_id: string;
  asset_id: string;
  /** 0 is the primary asset. */
  position: number;
  label: string;
}

export interface WorkOrderLaborTable {
  id: string;
  work_order_id: string;
  technician_id: string;
  technician_name: string;
  /** normal | overtime | travel */
  labor_type: string;
  started_at: string | null;
  ended_at: string | null;
  duration_minutes: number;
  billable: number;
  note: string | null;
  created_at: string;
}

export interface WorkOrderPartsTable {
  id: string;
  work_order_id: string;
  item_id: string;
  sku: string;
  name: string;
  category: string;
  unit: string;
  quantity_milli: number;
  /** JSON array of serial numbers. */
  serials: string;
  warehouse_id: string;
  asset_id: string | null;
  /** What the stock module returned for the issue (movement id), for tracing. */
  stock_reference: string | null;
  created_at: string;
}

export interface WorkOrderAnswersTable {
  work_order_id: string;
  item_key: string;
  /** JSON value: "pass" | "fail", a number, or a string. */
  value: string;
  answered_at: string;
}

export interface WorkOrderSignaturesTable {
  id: string;
  work_order_id: string;
  signer_name: string;
  signed_at: string;
  image_png_base64: string;
  image_sha256: string;
  report_hash: string;
  /** Set when the executed content changed after signing: the signature no longer applies. */
  invalidated_at: string | null;
  created_at: string;
}

export interface WorkOrderRevisionsTable {
  id: string;
  work_order_id: string;
  revision: number;
  reason: string;
  /** JSON of the requested changes. */
  changes: string;
  /** JSON of the whole work order before the correction. */
  before_snapshot: string;
  before_report_hash: string | null;
  after_report_hash: string;
  created_at: string;
}

export interface WorkOrderCountersTable {
  name: string;
  value: number;
}

export interface ChecklistTemplatesTable {
  id: string;
  name: string;
  description: string | null;
  /** The work-order type this template is the default for; unique when set. */
  default_for_type: string | null;
  /** JSON array of checklist items. */
  items: string;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkOrderTypePoliciesTable {
  type: string;
  signature_required: number;
  labor_required: number;
  updated_at: string;
}

/** The change in one cost center's share of a work order's cost, booked at one revision (migration 0027). */
export interface WorkOrderCostsTable {
  work_order_id: string;
  revision: number;
  /** '' when the cost has no cost center (no asset, or an asset without one). */
  cost_center: string;
  currency: string;
  /** Differences from what earlier revisions booked; decimal strings in the currency's exponent. */
  labor: string;
  parts: string;
  amount: string;
  /** JSON array of the asset ids whose cost this is. */
  asset_ids: string;
  costed_at: string;
}

export interface WorkOrdersTables {
  work_orders: WorkOrdersTable;
  work_order_assets: WorkOrderAssetsTable;
  work_order_labor: WorkOrderLaborTable;
  work_order_parts: WorkOrderPartsTable;
  work_order_answers: WorkOrderAnswersTable;
  work_order_signatures: WorkOrderSignaturesTable;
  work_order_revisions: WorkOrderRevisionsTable;
  work_order_counters: WorkOrderCountersTable;
  checklist_templates: ChecklistTemplatesTable;
  work_order_type_policies: WorkOrderTypePoliciesTable;
  work_order_costs: WorkOrderCostsTable;
}

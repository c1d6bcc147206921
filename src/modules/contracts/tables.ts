/** A service contract's header; what it covers lives in its versions. */
export interface ContractsTable {
  id: string;
  /** The number people quote, e.g. "C-1042"; unique. */
  number: string;
  customer_id: string;
  /** draft | active | terminated */
  status: string;
  currency: string;
  title: string | null;
  notes: string | null;
  /** 'YYYY-MM-DD': the last day the contract is in force once terminated. */
  terminated_on: string | null;
  termination_reason: string | null;
  external_refs: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One period of a contract's terms; versions of one contract never overlap. */
export interface ContractVersionsTable {
  id: string;
  contract_id: string;
  version_no: number;
  valid_from: string;
  /** Null = open-ended. Inclusive last day. */
  valid_to: string | null;
  /** JSON: work-order type → coverage terms (percentages as decimal strings). */
  coverage: string;
  /** JSON: [{kind, period, amount_minor}] in the contract currency. */
  caps: string;
  price_list_id: string | null;
  /** JSON: {partsPct, laborPct}. */
  discounts: string;
  /** JSON or null: {responseHours, resolutionHours, byPriority}. */
  sla: string | null;
  recurring_fee_minor: number | null;
  recurring_fee_period: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

/** Which assets and sites a version names; a version with no links covers the whole customer. */
export interface ContractCoverageLinksTable {
  contract_version_id: string;
  contract_id: string;
  /** asset | site */
  kind: string;
  ref_id: string;
}

export interface PriceListsTable {
  id: string;
  code: string | null;
  name: string;
  currency: string;
  /** Set on a customer-specific list. */
  customer_id: string | null;
  is_default: number;
  valid_from: string | null;
  valid_to: string | null;
  /** active | archived */
  status: string;
  external_refs: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PriceListLinesTable {
  id: string;
  price_list_id: string;
  /** item | category | labor | fee */
  kind: string;
  /** Item id, category name, labor type, or fee code (call_out, per_km). */
  ref: string;
  unit_price_minor: number;
}

export interface ContractsTables {
  contracts: ContractsTable;
  contract_versions: ContractVersionsTable;
  contract_coverage_links: ContractCoverageLinksTable;
  price_lists: PriceListsTable;
  price_list_lines: PriceListLinesTable;
}

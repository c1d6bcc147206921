/** One piece of installed equipment at a customer site (the installed base). */
export interface AssetsTable {
  id: string;
  /** Unique per item: two different models may share a manufacturer serial. */
  serial_number: string;
  item_id: string;
  name: string | null;
  customer_id: string;
  site_id: string;
  cost_center: string | null;
  /** ordered | installed | in_service | moved | disposed (see status-machine.ts). */
  status: string;
  /** Dates are 'YYYY-MM-DD'. Warranty until-dates are the last covered day. */
  install_date: string | null;
  warranty_parts_until: string | null;
  warranty_labor_until: string | null;
  purchase_date: string | null;
  purchase_ref: string | null;
  disposal_date: string | null;
  disposal_reason: string | null;
  parent_asset_id: string | null;
  /** Latest meter reading (running hours in thousandths), cached from asset_meter_readings. */
  meter_value_milli: number | null;
  meter_reading_at: string | null;
  notes: string | null;
  /** Valuation from the ERP: decimal strings in the company currency; the date is 'YYYY-MM-DD'. */
  book_value: string | null;
  accumulated_depreciation: string | null;
  last_depreciation_date: string | null;
  external_refs: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Every relocation (site, customer or cost center), append-only. */
export interface AssetMovesTable {
  id: string;
  asset_id: string;
  moved_at: string;
  from_customer_id: string;
  from_site_id: string;
  from_cost_center: string | null;
  to_customer_id: string;
  to_site_id: string;
  to_cost_center: string | null;
  reason: string;
  /** Set when the asset moved because its parent did. */
  cascaded_from_asset_id: string | null;
  /** Set when the move took a component away from its parent. */
  detached_from_asset_id: string | null;
  recorded_at: string;
}

/** Every status change including the initial one, append-only. */
export interface AssetStatusChangesTable {
  id: string;
  asset_id: string;
  from_status: string | null;
  to_status: string;
  /** 'YYYY-MM-DD' for transitions and disposals; the move's timestamp for moves. */
  effective_at: string;
  reason: string | null;
  recorded_at: string;
}

/** Running-hours meter readings, append-only and chronological per asset. */
export interface AssetMeterReadingsTable {
  id: string;
  asset_id: string;
  reading_at: string;
  value_milli: number;
  source: string;
  meter_replaced: number;
  recorded_at: string;
}

/** A purchase order as Fieldsync knows it: the assets bought on it are its units (asset_purchase_units). */
export interface AssetPurchasesTable {
  id: string;
  /** The purchase number in the ERP; unique. */
  purchase_ref: string;
  supplier_reference: string | null;
  purchase_date: string | null;
  /** Where the equipment on order is registered until it is installed. */
  customer_id: string;
  site_id: string;
  cost_center: string | null;
  /** ordered | installed | in_service: the status each new unit's asset starts in. */
  initial_status: string;
  /** JSON array of the purchase lines as last received ({ lineId, sku, quantity, ... }). */
  lines: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One asset per unit of a purchase line; the primary key (purchase, line, unit) makes registering idempotent. */
export interface AssetPurchaseUnitsTable {
  purchase_id: string;
  line_ref: string;
  /** 1-based. */
  unit_no: number;
  asset_id: string;
  recorded_at: string;
}

export interface AssetsTables {
  asset_purchases: AssetPurchasesTable;
  asset_purchase_units: AssetPurchaseUnitsTable;
  assets: AssetsTable;
  asset_moves: AssetMovesTable;
  asset_status_changes: AssetStatusChangesTable;
  asset_meter_readings: AssetMeterReadingsTable;
}

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

export interface AssetsTables {
  assets: AssetsTable;
  asset_moves: AssetMovesTable;
  asset_status_changes: AssetStatusChangesTable;
  asset_meter_readings: AssetMeterReadingsTable;
}

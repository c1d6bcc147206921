/** A place that holds stock: a central or regional store, or a technician's van. */
export interface WarehousesTable {
  id: string;
  code: string;
  name: string;
  /** 'central' | 'regional' | 'van' */
  kind: string;
  region: string;
  /** The ERP's stock location for this warehouse (e.g. a Tryton stock.location id), once mapped. */
  erp_location_ref: string | null;
  /** 0/1: when 1, outgoing movements may take on-hand below zero. */
  allow_negative: number;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/**
 * The append-only stock ledger (UPDATE and DELETE are refused by triggers). One row changes exactly one
 * item × warehouse, so on-hand is a plain SUM(quantity_milli) per pair; a transfer is two rows
 * (transfer_out, transfer_in) sharing `group_id`.
 */
export interface StockMovementsTable {
  id: string;
  /** receipt | issue | return | transfer_out | transfer_in | adjustment */
  kind: string;
  item_id: string;
  warehouse_id: string;
  /** Signed thousandths: positive into the warehouse, negative out of it. */
  quantity_milli: number;
  /** On-hand of this item × warehouse right after this row was applied (application order). */
  balance_after_milli: number;
  /** JSON array of serial numbers moved by this row. */
  serials: string;
  reference: string | null;
  work_order_id: string | null;
  /** For transfer rows: the other warehouse. */
  counterpart_warehouse_id: string | null;
  reason: string | null;
  /** Rows posted together (both halves of a transfer) share this id. */
  group_id: string;
  cycle_count_id: string | null;
  /** When the movement happened (may be backdated); ISO-8601 UTC. */
  posted_at: string;
  created_at: string;
  created_by: string;
  /** A retried post with the same key returns the original row instead of posting again. */
  idempotency_key: string | null;
}

/** Current on-hand per item × warehouse, maintained in the transaction of every movement. */
export interface StockLevelsTable {
  item_id: string;
  warehouse_id: string;
  quantity_milli: number;
  version: number;
  updated_at: string;
}

/** Where each unit of a serial-tracked item is. */
export interface StockSerialsTable {
  item_id: string;
  serial: string;
  /** The warehouse holding it; null once issued or written off. */
  warehouse_id: string | null;
  /** in_stock | issued | written_off */
  status: string;
  /** The work order it was issued to, while issued. */
  work_order_id: string | null;
  last_movement_id: string;
  updated_at: string;
}

export interface CycleCountsTable {
  id: string;
  warehouse_id: string;
  /** draft | posted | cancelled */
  status: string;
  counted_at: string;
  note: string | null;
  created_by: string;
  posted_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CycleCountLinesTable {
  id: string;
  cycle_count_id: string;
  line_no: number;
  item_id: string;
  /** On-hand when the count was recorded. */
  expected_milli: number;
  counted_milli: number;
  /** JSON arrays; only for serial-tracked items, else '[]'. */
  expected_serials: string;
  counted_serials: string;
}

export interface StockTables {
  warehouses: WarehousesTable;
  stock_movements: StockMovementsTable;
  stock_levels: StockLevelsTable;
  stock_serials: StockSerialsTable;
  cycle_counts: CycleCountsTable;
  cycle_count_lines: CycleCountLinesTable;
}

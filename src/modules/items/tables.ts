export interface ItemsTable {
  id: string;
  sku: string;
  barcode: string | null;
  name: string;
  description: string | null;
  category: string;
  /** Unit of measure code: unit, h, l, kg, m… */
  unit: string;
  /** Prices in integer minor units of `currency`. */
  list_price_minor: number;
  cost_price_minor: number;
  currency: string;
  /** 'stocked' items have on-hand quantities; 'service' items do not. */
  kind: string;
  serial_tracked: number;
  tax_category: string | null;
  status: string;
  external_refs: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ItemsTables {
  items: ItemsTable;
}

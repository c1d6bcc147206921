export interface TechniciansTable {
  id: string;
  code: string;
  name: string;
  region: string;
  /** JSON array of lower-case skill tags, e.g. ["hvac","boiler-gas"]. */
  skills: string;
  /** A warehouse of kind 'van' (stock module), or null until one is assigned. */
  home_van_warehouse_id: string | null;
  /** Cost per hour in integer minor units of `cost_currency`. */
  cost_rate_minor: number;
  cost_currency: string;
  email: string | null;
  phone: string | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TechniciansTables {
  technicians: TechniciansTable;
}

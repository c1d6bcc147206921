/** A recurring preventive-maintenance rule for one asset or for every asset a contract covers. */
export interface MaintenancePlansTable {
  id: string;
  name: string;
  /** asset | contract */
  scope: string;
  asset_id: string | null;
  contract_id: string | null;
  customer_id: string;
  /** calendar | meter */
  trigger_kind: string;
  /** Calendar: every N `interval_unit`s. */
  interval_count: number | null;
  /** day | week | month */
  interval_unit: string | null;
  /** Meter: every N running hours, in thousandths. */
  meter_interval_milli: number | null;
  /** Meter: cumulative running hours the counting starts from, in thousandths (null: first reading on/after start). */
  meter_start_milli: number | null;
  /** 'YYYY-MM-DD': the first calendar due date, and the earliest day anything is due. */
  start_date: string;
  end_date: string | null;
  wo_type: string;
  wo_priority: string;
  wo_title: string | null;
  wo_description: string | null;
  checklist_template_id: string | null;
  /** active | paused | archived */
  status: string;
  last_generated_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One due occurrence that produced a work order; UNIQUE (plan_id, due_key) makes generation idempotent. */
export interface MaintenancePlanOccurrencesTable {
  id: string;
  plan_id: string;
  due_key: string;
  due_date: string;
  asset_id: string;
  /** Null only inside the generating transaction, between claiming the key and creating the work order. */
  work_order_id: string | null;
  created_at: string;
}

export interface MaintenancePlansTables {
  maintenance_plans: MaintenancePlansTable;
  maintenance_plan_occurrences: MaintenancePlanOccurrencesTable;
}

import type { Generated } from 'kysely';

/** Every delivery attempt, kept for a bounded time (see docs/sync/metrics-and-alerts.md). */
export interface SyncAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  flow: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  /** delivered | retry | dead */
  outcome: string;
  error_class: string | null;
  error_message: string | null;
}

/**
 * The `sync_attempt_log` view: every attempt, whether it has a `sync_attempts` row or, as a first-try
 * success, lives on its delivery row (then `id` is null). Read the history here, never from the table.
 */
export interface SyncAttemptLogView extends Omit<SyncAttemptsTable, 'id'> {
  id: number | null;
}

/** Our id ↔ the ERP's id, per connector and entity. */
export interface SyncCrosswalkTable {
  connector: string;
  entity: string;
  local_id: string;
  external_id: string;
  updated_at: string;
}

/** Incremental pull position per flow, saved only after the page it ends has committed. */
export interface SyncCursorsTable {
  flow: string;
  cursor: string | null;
  last_run_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  pulled_total: number;
}

/** The last values both sides agreed on, per record: the base of the three-way conflict check. */
export interface SyncSnapshotsTable {
  connector: string;
  entity: string;
  local_id: string;
  external_id: string;
  /** JSON of the mapped (Fieldsync-shaped) field values last synced. */
  fields: string;
  erp_modified_at: string | null;
  synced_at: string;
}

export interface SyncConflictsTable {
  id: string;
  flow: string;
  connector: string;
  entity: string;
  local_id: string;
  external_id: string;
  field: string;
  owner: string;
  base_value: string | null;
  erp_value: string | null;
  local_value: string | null;
  /** open | resolved */
  status: string;
  /** take_erp | take_ours | edit */
  resolution: string | null;
  resolved_value: string | null;
  detected_at: string;
  resolved_at: string | null;
}

export interface SyncReconRunsTable {
  id: string;
  connector: string;
  entity: string;
  /** running | completed | failed */
  status: string;
  started_at: string;
  finished_at: string | null;
  compared: number;
  matching: number;
  differences: number;
  /** JSON: per-kind counts and KPIs (e.g. inventory accuracy). */
  summary: string;
  error: string | null;
}

export interface SyncReconDiffsTable {
  id: Generated<number>;
  run_id: string;
  /** missing_here | missing_there | value_differs */
  kind: string;
  key: string;
  local_id: string | null;
  external_id: string | null;
  field: string | null;
  local_value: string | null;
  erp_value: string | null;
  corrected_at: string | null;
}

/** Time series of sync KPIs for charts (sampled periodically). */
export interface SyncKpiSamplesTable {
  id: Generated<number>;
  at: string;
  name: string;
  scope: string;
  value: number;
}

export interface SyncAlertsTable {
  rule: string;
  /** ok | pending | firing */
  state: string;
  since: string | null;
  last_value: number | null;
  last_notified_at: string | null;
  message: string | null;
}

/**
 * SQLite only (migration 0028): one row per leased batch, the deliveries it holds listed as a JSON array.
 * Those deliveries stay `pending` until acknowledged; PostgreSQL leases the delivery rows themselves.
 */
export interface SyncLeasesTable {
  id: Generated<number>;
  subscriber: string;
  owner: string;
  expires_at: string;
  delivery_ids: string;
}

export interface SyncTables {
  sync_attempts: SyncAttemptsTable;
  sync_attempt_log: SyncAttemptLogView;
  sync_crosswalk: SyncCrosswalkTable;
  sync_leases: SyncLeasesTable;
  sync_cursors: SyncCursorsTable;
  sync_snapshots: SyncSnapshotsTable;
  sync_conflicts: SyncConflictsTable;
  sync_recon_runs: SyncReconRunsTable;
  sync_recon_diffs: SyncReconDiffsTable;
  sync_kpi_samples: SyncKpiSamplesTable;
  sync_alerts: SyncAlertsTable;
}

import type { Generated } from 'kysely';

/** An import uploaded through the API, with its progress counters (see docs/imports.md). */
export interface ImportJobsTable {
  id: string;
  file_name: string;
  kind: string;
  format: string;
  bytes: number;
  sha256: string;
  /** The upload's file name in the hub's imports folder: the job id (`<id>_<fileName>` before). */
  stored_as: string;
  requested_by: string;
  /** The id of the imports folder holding the upload (`.folder-id` in it); null for older jobs. */
  folder_id: string | null;
  /** queued | running | completed | duplicate | refused | failed */
  status: string;
  rows_read: number;
  applied: number;
  rejected: number;
  /** Rows import_rejects holds for this job: the first 10,000 rejected (0 once pruned). */
  rejects_kept: number;
  /** When its rejects (and, in its own hub, its upload) were pruned, `sync.historyDays` after it ended. */
  pruned_at: string | null;
  encoding: string | null;
  message: string | null;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
}

/** One row of an import that was not applied, with why. */
export interface ImportRejectsTable {
  id: Generated<number>;
  job_id: string;
  row_number: number;
  reason: string;
  raw: string;
}

export interface ImportTables {
  import_jobs: ImportJobsTable;
  import_rejects: ImportRejectsTable;
}

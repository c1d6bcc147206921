import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { SyncCursorsTable } from '../store/tables.js';

// Columns and the table migration 0013 adds for pulls. A type alias: `withTables` needs one.
export type PullStateTables = {
  sync_cursors: SyncCursorsTable & {
    /** The hub running this flow's pull now; other hubs skip the flow until the lease expires. */
    lease_owner: string | null;
    lease_expires_at: string | null;
    /** JSON of the last run's PullRunResult. */
    last_result: string | null;
  };
  /** Pulled records that could not be applied (mapping or domain validation); one row per flow and record. */
  sync_pull_errors: {
    id: string;
    flow: string;
    connector: string;
    entity: string;
    external_entity: string;
    external_id: string;
    modified_at: string;
    erp_hash: string;
    error_class: string;
    message: string;
    /** JSON array of { path, message }. */
    issues: string;
    /** JSON of the ERP record's data as read. */
    data: string;
    /** open | resolved */
    status: string;
    attempts: number;
    first_seen_at: string;
    last_seen_at: string;
    resolved_at: string | null;
  };
};

export type PullDb = Kysely<Database & PullStateTables>;

export function pullDb(db: Kysely<Database>): PullDb {
  return db.withTables<PullStateTables>();
}

export function pullTx(tx: Transaction<Database>): Transaction<Database & PullStateTables> {
  return tx.withTables<PullStateTables>();
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { SyncConflictsTable, SyncSnapshotsTable } from '../store/tables.js';

/** Columns migration 0013 adds to the snapshot and conflict tables of migration 0011. */
// A type alias (not an interface): `withTables` needs an index-signature-compatible shape.
export type ConflictStateTables = {
  sync_snapshots: SyncSnapshotsTable & {
    /** JSON of the Fieldsync-side field values last accounted for (`fields` holds the ERP side). */
    local_fields: string | null;
    /** Hash of the ERP record's data at `erp_modified_at`: same stamp and hash = the same version. */
    erp_hash: string | null;
  };
  sync_conflicts: SyncConflictsTable & {
    /** The connector's entity (crosswalk and snapshot key); `entity` is the Fieldsync entity. */
    external_entity: string | null;
    /** non_owner_change | concurrent_edit */
    kind: string | null;
    /** The shared rule, when owner is shared. */
    rule: string | null;
    message: string | null;
    /** A person (actor), `sync` (both sides came to agree) or `rule:<rule>` (a shared rule decided). */
    resolved_by: string | null;
    updated_at: string | null;
  };
};

export type ConflictDb = Kysely<Database & ConflictStateTables>;
export type ConflictTx = Transaction<Database & ConflictStateTables>;

/** The same connection, typed with the columns of migration 0013. */
export function conflictDb(db: Kysely<Database>): ConflictDb {
  return db.withTables<ConflictStateTables>();
}

export function conflictTx(tx: Transaction<Database>): ConflictTx {
  return tx.withTables<ConflictStateTables>();
}

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import type { SideSnapshot } from './decide-fields.js';
import { parseObject } from './json.js';
import { conflictDb, conflictTx } from './tables.js';

/** Identifies a record in the sync state: connector, the connector's entity, and both ids. */
export interface RecordKey {
  connector: string;
  /** The connector's entity (crosswalk and snapshots are kept per connector entity). */
  externalEntity: string;
  localId: string;
  externalId: string;
}

export interface StoredSnapshot extends SideSnapshot {
  erpModifiedAt: string | null;
  erpHash: string | null;
}

export async function loadSnapshot(
  tx: Transaction<Database>,
  key: Omit<RecordKey, 'externalId'>,
): Promise<StoredSnapshot | undefined> {
  const row = await conflictTx(tx)
    .selectFrom('sync_snapshots')
    .select(['fields', 'local_fields', 'erp_modified_at', 'erp_hash'])
    .where('connector', '=', key.connector)
    .where('entity', '=', key.externalEntity)
    .where('local_id', '=', key.localId)
    .executeTakeFirst();
  if (!row) return undefined;
  // Rows written before migration 0013 have one base for both sides.
  const erp = parseObject(row.fields);
  return {
    erp,
    local: row.local_fields === null ? erp : parseObject(row.local_fields),
    erpModifiedAt: row.erp_modified_at,
    erpHash: row.erp_hash,
  };
}

export async function saveSnapshot(
  tx: Transaction<Database>,
  key: RecordKey,
  snapshot: StoredSnapshot,
): Promise<void> {
  const values = {
    fields: JSON.stringify(snapshot.erp),
    local_fields: JSON.stringify(snapshot.local),
    external_id: key.externalId,
    erp_modified_at: snapshot.erpModifiedAt,
    erp_hash: snapshot.erpHash,
    synced_at: nowIso(),
  };
  await conflictTx(tx)
    .insertInto('sync_snapshots')
    .values({ connector: key.connector, entity: key.externalEntity, local_id: key.localId, ...values })
    .onConflict((oc) => oc.columns(['connector', 'entity', 'local_id']).doUpdateSet(values))
    .execute();
}

/** The ERP version each record was last applied at, for dropping re-reads (overlap, crash re-runs). */
export async function snapshotVersions(
  db: Kysely<Database>,
  connector: string,
  externalEntity: string,
  externalIds: readonly string[],
): Promise<Map<string, { erpModifiedAt: string | null; erpHash: string | null }>> {
  if (externalIds.length === 0) return new Map();
  const rows = await conflictDb(db)
    .selectFrom('sync_snapshots')
    .select(['external_id', 'erp_modified_at', 'erp_hash'])
    .where('connector', '=', connector)
    .where('entity', '=', externalEntity)
    .where('external_id', 'in', [...new Set(externalIds)])
    .execute();
  return new Map(rows.map((r) => [r.external_id, { erpModifiedAt: r.erp_modified_at, erpHash: r.erp_hash }]));
}

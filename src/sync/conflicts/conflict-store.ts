import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { FieldConflict } from '../mapping/index.js';
import type { ConflictOutcome } from './conflict.js';
import { canonicalJson } from './json.js';
import type { RecordKey } from './snapshots.js';
import { conflictTx } from './tables.js';

/** A record key plus what the conflict rows also name: the flow and the Fieldsync entity. */
export interface ConflictKey extends RecordKey {
  flow: string;
  entity: string;
}

export interface ConflictDetail {
  field: string;
  owner: string;
  rule?: string;
  conflict: FieldConflict;
  /** Undefined when no base is known (first contact with a shared field). */
  base: unknown;
  erp: unknown;
  local: unknown;
}

export type OpenConflictResult = 'new' | 'refreshed' | 'same';

function openRow(tx: Transaction<Database>, key: ConflictKey, field: string) {
  const db = conflictTx(tx);
  return forUpdate(
    db,
    db
      .selectFrom('sync_conflicts')
      .select(['id', 'erp_value', 'local_value', 'base_value'])
      .where('connector', '=', key.connector)
      .where('entity', '=', key.entity)
      .where('local_id', '=', key.localId)
      .where('field', '=', field)
      .where('status', '=', 'open'),
  ).executeTakeFirst();
}

/**
 * Records a held field as an open conflict. There is at most one open conflict per record field (a
 * partial unique index): a re-pull with the same values changes nothing, and newer values refresh the
 * open conflict so a person always decides on the current ones.
 */
export async function openConflict(
  tx: Transaction<Database>,
  key: ConflictKey,
  detail: ConflictDetail,
): Promise<OpenConflictResult> {
  const now = nowIso();
  const values = {
    flow: key.flow,
    external_id: key.externalId,
    external_entity: key.externalEntity,
    owner: detail.owner,
    rule: detail.rule ?? null,
    kind: detail.conflict.kind,
    message: detail.conflict.message,
    base_value: canonicalJson(detail.base),
    erp_value: canonicalJson(detail.erp),
    local_value: canonicalJson(detail.local),
  };
  const existing = await openRow(tx, key, detail.field);
  if (!existing) {
    await conflictTx(tx)
      .insertInto('sync_conflicts')
      .values({
        id: newId(),
        connector: key.connector,
        entity: key.entity,
        local_id: key.localId,
        field: detail.field,
        ...values,
        status: 'open',
        resolution: null,
        resolved_value: null,
        resolved_by: null,
        detected_at: now,
        updated_at: now,
        resolved_at: null,
      })
      .execute();
    return 'new';
  }
  if (
    existing.erp_value === values.erp_value &&
    existing.local_value === values.local_value &&
    existing.base_value === values.base_value
  ) {
    return 'same';
  }
  await conflictTx(tx)
    .updateTable('sync_conflicts')
    .set({ ...values, updated_at: now })
    .where('id', '=', existing.id)
    .execute();
  return 'refreshed';
}

/** Fields of a record that have an open conflict (one query instead of one per field). */
export async function openConflictFields(tx: Transaction<Database>, key: ConflictKey): Promise<Set<string>> {
  const rows = await conflictTx(tx)
    .selectFrom('sync_conflicts')
    .select('field')
    .where('connector', '=', key.connector)
    .where('entity', '=', key.entity)
    .where('local_id', '=', key.localId)
    .where('status', '=', 'open')
    .execute();
  return new Set(rows.map((r) => r.field));
}

export interface Settlement {
  resolution: ConflictOutcome;
  resolvedBy: string;
  value: unknown;
}

/** Closes the open conflict of a field, if any (its cause is gone or it was decided). Returns the count closed. */
export async function closeOpenConflict(
  tx: Transaction<Database>,
  key: ConflictKey,
  field: string,
  settlement: Settlement,
): Promise<number> {
  const now = nowIso();
  const result = await conflictTx(tx)
    .updateTable('sync_conflicts')
    .set({
      status: 'resolved',
      resolution: settlement.resolution,
      resolved_by: settlement.resolvedBy,
      resolved_value: canonicalJson(settlement.value),
      resolved_at: now,
      updated_at: now,
    })
    .where('connector', '=', key.connector)
    .where('entity', '=', key.entity)
    .where('local_id', '=', key.localId)
    .where('field', '=', field)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A clash a shared rule settled: reported as a conflict that is already resolved, by `rule:<rule>`. */
export async function recordSettledConflict(
  tx: Transaction<Database>,
  key: ConflictKey,
  detail: ConflictDetail,
  settlement: Settlement,
): Promise<void> {
  await openConflict(tx, key, detail);
  await closeOpenConflict(tx, key, detail.field, settlement);
}

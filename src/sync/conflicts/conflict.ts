import type { Selectable } from 'kysely';
import { parseStored } from './json.js';
import type { ConflictStateTables } from './tables.js';

export const ConflictResolution = {
  takeErp: 'take_erp',
  takeOurs: 'take_ours',
  edit: 'edit',
} as const;
export type ConflictResolution = (typeof ConflictResolution)[keyof typeof ConflictResolution];

/**
 * How a conflict was closed: by a person (take_erp, take_ours, edit), by a shared rule (take_erp or
 * take_ours with `resolvedBy: rule:<rule>`), or by the sync itself: `converged` (both sides now hold the
 * same value) or `obsolete` (the change that caused it was undone).
 */
export type ConflictOutcome = ConflictResolution | 'converged' | 'obsolete';

export interface SyncConflict {
  id: string;
  flow: string;
  connector: string;
  /** The Fieldsync entity (customer, item, ...). */
  entity: string;
  /** The connector's entity. */
  externalEntity: string;
  localId: string;
  externalId: string;
  field: string;
  owner: string;
  rule: string | null;
  /** non_owner_change | concurrent_edit */
  kind: string;
  message: string;
  /** The last value both sides agreed on; `baseKnown` is false on first contact with a shared field. */
  baseValue: unknown;
  baseKnown: boolean;
  erpValue: unknown;
  localValue: unknown;
  status: 'open' | 'resolved';
  resolution: ConflictOutcome | null;
  resolvedValue: unknown;
  resolvedBy: string | null;
  detectedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

export type ConflictRow = Selectable<ConflictStateTables['sync_conflicts']>;

const orNull = (value: unknown): unknown => (value === undefined ? null : value);

export function conflictFromRow(row: ConflictRow): SyncConflict {
  return {
    id: row.id,
    flow: row.flow,
    connector: row.connector,
    entity: row.entity,
    externalEntity: row.external_entity ?? row.entity,
    localId: row.local_id,
    externalId: row.external_id,
    field: row.field,
    owner: row.owner,
    rule: row.rule,
    kind: row.kind ?? 'non_owner_change',
    message: row.message ?? '',
    baseValue: orNull(parseStored(row.base_value)),
    baseKnown: row.base_value !== null,
    erpValue: orNull(parseStored(row.erp_value)),
    localValue: orNull(parseStored(row.local_value)),
    status: row.status === 'open' ? 'open' : 'resolved',
    resolution: row.resolution as ConflictOutcome | null,
    resolvedValue: orNull(parseStored(row.resolved_value)),
    resolvedBy: row.resolved_by,
    detectedAt: row.detected_at,
    updatedAt: row.updated_at ?? row.detected_at,
    resolvedAt: row.resolved_at,
  };
}

export { ConflictResolution, conflictFromRow } from './conflict.js';
export type { ConflictOutcome, SyncConflict } from './conflict.js';
export {
  closeOpenConflict,
  openConflict,
  openConflictFields,
  recordSettledConflict,
} from './conflict-store.js';
export type { ConflictDetail, ConflictKey, OpenConflictResult, Settlement } from './conflict-store.js';
export { decideFields, effectiveBase } from './decide-fields.js';
export type { DecideInput, EffectiveBase, FieldAction, SideSnapshot } from './decide-fields.js';
export { canonicalJson, dataHash, parseStored } from './json.js';
export { countConflicts, getConflict, listConflicts } from './queries.js';
export type { ConflictFilter, ConflictPage } from './queries.js';
export { conflictResolvedType, emitConflictResolved } from './resend-event.js';
export type { ResendReason } from './resend-event.js';
export { resolveConflict } from './resolve-conflict.js';
export type { ResolveDeps, ResolveInput } from './resolve-conflict.js';
export { conflictListQuerySchema, conflictResolveSchema, conflictSchema } from './schemas.js';
export type { ConflictResolveBody } from './schemas.js';
export { loadSnapshot, saveSnapshot, snapshotVersions } from './snapshots.js';
export type { RecordKey, StoredSnapshot } from './snapshots.js';
export { conflictDb, conflictTx } from './tables.js';
export type { ConflictDb, ConflictStateTables, ConflictTx } from './tables.js';

import type { z } from 'zod';
import type { ConnectorError } from './connector-error.js';

/**
 * The contract between the sync engine and an ERP. It is deliberately small: the engine owns ordering,
 * retries, crosswalks and cursors; a connector only moves records and classifies failures.
 */

export const ConnectorOperation = {
  readChanges: 'readChanges',
  readAll: 'readAll',
  writeBatch: 'writeBatch',
} as const;
export type ConnectorOperation = (typeof ConnectorOperation)[keyof typeof ConnectorOperation];

/** Write kinds every connector understands; vendors may add their own (e.g. Tryton's `post` button). */
export type WriteOpKind = 'create' | 'update' | 'upsert' | 'delete' | (string & {});

export interface EntityManifest {
  operations: readonly ConnectorOperation[];
  /** Write kinds accepted by `writeBatch` for this entity; flow config is checked against it at load. */
  writeOps: readonly WriteOpKind[];
  /** Fields that identify a record on the vendor side (documentation and reconciliation keys). */
  keyFields: readonly string[];
  /**
   * `readRecords` reads this entity by id, and `update` ops honour `ifUnmodifiedSince`. The engine then
   * checks for ERP edits before it updates a record, instead of writing over them (docs/sync/conflicts.md).
   */
  guardedUpdates?: boolean;
}

export interface ConnectorCapabilities {
  /** `readChanges` returns records in (modifiedAt, id) order, so a keyset cursor is safe. */
  incrementalRead: boolean;
  /** The vendor itself applies each idempotency key once (a re-sent key returns the first result). */
  nativeIdempotency: boolean;
  /** Creates search a vendor reference field first, which makes retries harmless without native keys. */
  referenceLookup: boolean;
}

export interface ConnectorManifest<E extends string = string> {
  name: string;
  version: string;
  /** The key `'*'` declares a connector that accepts any entity name (used by `noop`). */
  entities: Readonly<Record<E, EntityManifest>>;
  capabilities: ConnectorCapabilities;
  /** Largest `ops.length` for one `writeBatch` call and largest `limit` for one `readChanges` call. */
  maxBatchSize: number;
  /** Largest number of calls the vendor tolerates in flight at once (Tryton on SQLite: 1). */
  maxConcurrency: number;
}

/**
 * Keyset position of the last record consumed: everything strictly after `(modifiedAt, id)` in that
 * order is "new". A keyset never skips rows that share a timestamp, unlike `modifiedAt > t`.
 */
export interface Cursor {
  /** ISO-8601 UTC with milliseconds, so positions compare lexically. */
  modifiedAt: string;
  /** The vendor id (`externalId`) of the last record at that timestamp. */
  id: string;
}

export interface ConnectorRecord {
  externalId: string;
  modifiedAt: string;
  data: Record<string, unknown>;
}

export interface ChangePage {
  records: ConnectorRecord[];
  /** Position after the last record of this page; equal to the input cursor when the page is empty. */
  nextCursor: Cursor | null;
  hasMore: boolean;
}

export interface WriteOp {
  /** Derived from the outbox event id; the same logical write always carries the same key. */
  idempotencyKey: string;
  op: WriteOpKind;
  /** Vendor id for update/delete, from the crosswalk. */
  externalId?: string;
  /** Our stable id for the record, for vendors that search a reference field before creating. */
  reference?: string;
  payload: Record<string, unknown>;
  /**
   * Updates only, on entities with `guardedUpdates`: the record's `modifiedAt` as last read. If the record
   * has changed since, the vendor refuses the op with `conflict` and writes nothing.
   */
  ifUnmodifiedSince?: string;
  /**
   * Set when no earlier attempt of this op was ever handed to a connector (its first lease, no error on
   * record, not a replay). No earlier call can then have written it, so a connector whose look-up before
   * create costs a call may skip that look-up. Absent means "maybe written before": look it up.
   */
  firstAttempt?: boolean;
}

export type WriteResult =
  | { idempotencyKey: string; ok: true; externalId?: string; replayed?: boolean }
  | { idempotencyKey: string; ok: false; error: ConnectorError };

export interface WriteOptions {
  /** Aborted when the caller stops waiting (its call timeout); see `writeBatch`. */
  signal?: AbortSignal;
}

export interface ConnectionInfo {
  /** What the vendor said about itself, for the connection-test screen. */
  serverVersion?: string;
}

/** Pino-compatible subset, so connectors log through the hub's logger without importing it. */
export interface ConnectorLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export interface ConnectorContext {
  logger?: ConnectorLogger;
  /** Aborts every in-flight call of the session (hub shutdown). */
  signal?: AbortSignal;
}

/**
 * One authenticated conversation with a vendor. Every method either resolves or rejects with a
 * `ConnectorError`; nothing else may escape (the engine treats anything else as an unclassified bug).
 */
export interface ConnectorSession<E extends string = string> {
  /** Connection test: credentials valid and the vendor answering. */
  check(): Promise<ConnectionInfo>;
  /**
   * Records strictly after `cursor` in (modifiedAt, externalId) order, at most `limit`. The caller
   * applies an overlap window (`withOverlap`) against vendors whose clocks or commits lag, dedupes on
   * (externalId, modifiedAt), and saves `nextCursor` only after the page has committed.
   */
  readChanges(entity: E, cursor: Cursor | null, limit: number): Promise<ChangePage>;
  /** Every record, for reconciliation; not a snapshot (concurrent writes may or may not show). */
  readAll(entity: E): AsyncIterable<ConnectorRecord>;
  /**
   * The current state of the given records, in the shape `readChanges` returns; ids that do not exist
   * are left out. Required for entities whose manifest sets `guardedUpdates`.
   */
  readRecords?(entity: E, externalIds: readonly string[], options?: WriteOptions): Promise<ConnectorRecord[]>;
  /**
   * One result per op, same order. A rejected promise means the whole call failed (nothing known about
   * any op); a per-op `ok: false` means the vendor answered and refused that op only.
   *
   * Once `options.signal` aborts, the caller has given up on this call and will send the ops again:
   * the connector must send no further request for it (cancel the one in flight, stop between
   * requests). A write that lands after its retry could put an older state over a newer one.
   */
  writeBatch(entity: E, ops: readonly WriteOp[], options?: WriteOptions): Promise<WriteResult[]>;
  close(): Promise<void>;
}

export interface Connector<E extends string = string, C = unknown> {
  manifest: ConnectorManifest<E>;
  /** Validates the `config` object of a connector entry in flow config. */
  configSchema: z.ZodType<C>;
  connect(config: C, ctx?: ConnectorContext): Promise<ConnectorSession<E>>;
}

/** The registry stores connectors without their entity and config types. */
export type AnyConnector = Connector<string, unknown>;

/** The manifest entry for an entity, honouring the `'*'` wildcard. */
export function entityManifest(manifest: ConnectorManifest, entity: string): EntityManifest | undefined {
  const entities: Readonly<Record<string, EntityManifest>> = manifest.entities;
  return Object.hasOwn(entities, entity) ? entities[entity] : entities['*'];
}

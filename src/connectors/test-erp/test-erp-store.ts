import { isDeepStrictEqual } from 'node:util';
import type { Cursor } from '../sdk/connector.js';
import { compareCursor } from '../sdk/cursor.js';

/** One record as the test ERP keeps and serves it. */
export interface ErpRecord {
  id: string;
  reference?: string;
  modifiedAt: string;
  data: Record<string, unknown>;
}

export interface ErpOp {
  idempotencyKey?: string;
  op: string;
  id?: string;
  reference?: string;
  data?: unknown;
  /** Updates only: the record's `modifiedAt` as the caller last read it; a record changed since is a 409. */
  ifUnmodifiedSince?: string;
}

export interface ErpOpOutcome {
  status: number;
  id?: string;
  replayed?: boolean;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface SeedInput {
  id?: string;
  reference?: string;
  modifiedAt?: string;
  data: Record<string, unknown>;
}

interface EntityTable {
  byId: Map<string, ErpRecord>;
  /** Ids per reference, so a look-up by reference is not a scan of the table (50k records in R1). */
  byReference: Map<string, Set<string>>;
  /** Records in keyset order; null when a write landed out of order and a re-sort is due. */
  sorted: ErpRecord[] | null;
  nextSeq: number;
  prefix: string;
}

interface StoredKey {
  fingerprint: unknown;
  outcome: ErpOpOutcome;
}

export interface TestErpStoreOptions {
  entities: readonly string[];
  /** Fields each entity's create/upsert payloads must carry (anything else is accepted). */
  requiredFields?: Readonly<Record<string, readonly string[]>>;
  now?: () => string;
}

const keyOf = (r: ErpRecord): Cursor => ({ modifiedAt: r.modifiedAt, id: r.id });

/**
 * The test ERP's memory: entity tables with a keyset index, reference uniqueness, and an idempotency
 * key table. All methods are synchronous, so one op is applied atomically even under concurrent HTTP.
 */
export class TestErpStore {
  readonly #tables = new Map<string, EntityTable>();
  readonly #keys = new Map<string, StoredKey>();
  readonly #required: Readonly<Record<string, readonly string[]>>;
  readonly #now: () => string;
  /** Mutations actually applied (creates, updates, deletes), per entity: the "effects" tests count. */
  readonly effects = new Map<string, number>();

  constructor(options: TestErpStoreOptions) {
    this.#required = options.requiredFields ?? {};
    // Every write gets a later modifiedAt than the one before: `ifUnmodifiedSince` compares versions, and
    // two writes within one millisecond must not look like one.
    let last = 0;
    this.#now =
      options.now ??
      (() => {
        last = Math.max(Date.now(), last + 1);
        return new Date(last).toISOString();
      });
    for (const entity of options.entities) {
      const prefix = `${
        entity
          .replace(/[^a-z]/gi, '')
          .slice(0, 3)
          .toUpperCase() || 'REC'
      }-`;
      this.#tables.set(entity, { byId: new Map(), byReference: new Map(), sorted: [], nextSeq: 1, prefix });
    }
  }

  hasEntity(entity: string): boolean {
    return this.#tables.has(entity);
  }

  get(entity: string, id: string): ErpRecord | undefined {
    return this.#table(entity).byId.get(id);
  }

  /** The first record (in insertion order) carrying `reference`. */
  findByReference(entity: string, reference: string): ErpRecord | undefined {
    const table = this.#table(entity);
    const ids = table.byReference.get(reference);
    if (ids === undefined) return undefined;
    if (ids.size === 1) return table.byId.get(ids.values().next().value as string);
    // Several records share it (only `seed` allows that): keep the table's insertion order.
    for (const record of table.byId.values()) if (record.reference === reference) return record;
    return undefined;
  }

  /** Every record in keyset order. */
  all(entity: string): ErpRecord[] {
    return [...this.#sorted(entity)];
  }

  /** Records strictly after `after`, in keyset order. */
  list(entity: string, after: Cursor | null, limit: number): { records: ErpRecord[]; hasMore: boolean } {
    const sorted = this.#sorted(entity);
    let lo = 0;
    let hi = sorted.length;
    while (after !== null && lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareCursor(keyOf(sorted[mid] as ErpRecord), after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const records = sorted.slice(lo, lo + limit);
    return { records, hasMore: lo + limit < sorted.length };
  }

  /** Puts records in directly (as if typed into the ERP), with chosen timestamps if given. */
  seed(entity: string, inputs: readonly SeedInput[]): ErpRecord[] {
    return inputs.map((input) => {
      const table = this.#table(entity);
      const record: ErpRecord = {
        id: input.id ?? this.#newId(table),
        modifiedAt: input.modifiedAt ?? this.#now(),
        data: structuredClone(input.data),
      };
      if (input.reference !== undefined) record.reference = input.reference;
      this.#put(table, record);
      return record;
    });
  }

  /** Changes a record behind the hub's back (reconciliation tests); bumps `modifiedAt`. */
  mutate(entity: string, id: string, patch: Record<string, unknown>): ErpRecord | undefined {
    const table = this.#table(entity);
    const existing = table.byId.get(id);
    if (existing === undefined) return undefined;
    const record = {
      ...existing,
      data: { ...existing.data, ...structuredClone(patch) },
      modifiedAt: this.#now(),
    };
    this.#put(table, record);
    return record;
  }

  remove(entity: string, id: string): boolean {
    const table = this.#table(entity);
    const existing = table.byId.get(id);
    if (existing === undefined) return false;
    table.byId.delete(id);
    this.#unindex(table, existing);
    table.sorted = null;
    return true;
  }

  /** Applies one op exactly once per idempotency key; only successful outcomes are remembered. */
  apply(entity: string, op: ErpOp): ErpOpOutcome {
    const key = op.idempotencyKey;
    const fingerprint = { entity, op: op.op, id: op.id, reference: op.reference, data: op.data };
    if (key !== undefined) {
      const stored = this.#keys.get(key);
      if (stored !== undefined) {
        if (!isDeepStrictEqual(stored.fingerprint, fingerprint)) {
          return fail(
            409,
            'idempotency_key_reused',
            'this idempotency key was used with a different request',
          );
        }
        return { ...stored.outcome, replayed: true };
      }
    }
    const outcome = this.#execute(entity, op);
    if (key !== undefined && outcome.status < 300)
      this.#keys.set(key, { fingerprint: structuredClone(fingerprint), outcome });
    return outcome;
  }

  #execute(entity: string, op: ErpOp): ErpOpOutcome {
    const table = this.#table(entity);
    const data = op.data ?? {};
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return fail(400, 'invalid_payload', 'data must be an object');
    }
    const payload = data as Record<string, unknown>;
    const existing =
      op.id !== undefined
        ? table.byId.get(op.id)
        : op.reference !== undefined && op.op !== 'create'
          ? this.findByReference(entity, op.reference)
          : undefined;
    switch (op.op) {
      case 'create': {
        if (op.reference !== undefined) {
          const duplicate = this.findByReference(entity, op.reference);
          if (duplicate !== undefined) {
            return fail(409, 'duplicate_reference', `reference ${op.reference} exists`, { id: duplicate.id });
          }
        }
        return this.#create(entity, table, op.reference, payload);
      }
      case 'update':
      case 'upsert': {
        if (existing === undefined && op.op === 'update') {
          return op.id === undefined
            ? fail(400, 'missing_id', 'update needs an id')
            : fail(404, 'not_found', `${entity} ${op.id} not found`);
        }
        if (existing === undefined) return this.#create(entity, table, op.reference, payload);
        if (op.ifUnmodifiedSince !== undefined && op.ifUnmodifiedSince !== existing.modifiedAt) {
          return fail(409, 'conflict', `${entity} ${existing.id} changed since ${op.ifUnmodifiedSince}`, {
            id: existing.id,
            modifiedAt: existing.modifiedAt,
          });
        }
        const missing = this.#missing(entity, { ...existing.data, ...payload });
        if (missing !== undefined) return missing;
        this.#put(table, {
          ...existing,
          data: { ...existing.data, ...structuredClone(payload) },
          modifiedAt: this.#now(),
        });
        this.#count(entity);
        return { status: 200, id: existing.id };
      }
      case 'delete': {
        if (op.id === undefined) return fail(400, 'missing_id', 'delete needs an id');
        if (!this.remove(entity, op.id)) return fail(404, 'not_found', `${entity} ${op.id} not found`);
        this.#count(entity);
        return { status: 200, id: op.id };
      }
      default:
        return fail(400, 'unsupported_op', `operation ${op.op} is not supported`);
    }
  }

  #create(
    entity: string,
    table: EntityTable,
    reference: string | undefined,
    payload: Record<string, unknown>,
  ): ErpOpOutcome {
    const missing = this.#missing(entity, payload);
    if (missing !== undefined) return missing;
    const record: ErpRecord = {
      id: this.#newId(table),
      modifiedAt: this.#now(),
      data: structuredClone(payload),
    };
    if (reference !== undefined) record.reference = reference;
    this.#put(table, record);
    this.#count(entity);
    return { status: 201, id: record.id };
  }

  #missing(entity: string, data: Record<string, unknown>): ErpOpOutcome | undefined {
    const absent = (this.#required[entity] ?? []).filter(
      (f) => data[f] === undefined || data[f] === null || data[f] === '',
    );
    return absent.length === 0
      ? undefined
      : fail(400, 'validation', `missing required field(s): ${absent.join(', ')}`, { fields: absent });
  }

  #count(entity: string): void {
    this.effects.set(entity, (this.effects.get(entity) ?? 0) + 1);
  }

  #newId(table: EntityTable): string {
    const id = `${table.prefix}${String(table.nextSeq).padStart(8, '0')}`;
    table.nextSeq += 1;
    return id;
  }

  #put(table: EntityTable, record: ErpRecord): void {
    const previous = table.byId.get(record.id);
    const replacing = previous !== undefined;
    if (previous !== undefined && previous.reference !== record.reference) this.#unindex(table, previous);
    table.byId.set(record.id, record);
    if (record.reference !== undefined) {
      const ids = table.byReference.get(record.reference) ?? new Set<string>();
      ids.add(record.id);
      table.byReference.set(record.reference, ids);
    }
    const sorted = table.sorted;
    const last = sorted?.[sorted.length - 1];
    // Appending keeps the index valid for the common case (new record, clock moving forward).
    if (!replacing && sorted && (last === undefined || compareCursor(keyOf(last), keyOf(record)) < 0))
      sorted.push(record);
    else table.sorted = null;
  }

  #unindex(table: EntityTable, record: ErpRecord): void {
    if (record.reference === undefined) return;
    const ids = table.byReference.get(record.reference);
    ids?.delete(record.id);
    if (ids?.size === 0) table.byReference.delete(record.reference);
  }

  #sorted(entity: string): ErpRecord[] {
    const table = this.#table(entity);
    if (table.sorted === null)
      table.sorted = [...table.byId.values()].sort((a, b) => compareCursor(keyOf(a), keyOf(b)));
    return table.sorted;
  }

  #table(entity: string): EntityTable {
    const table = this.#tables.get(entity);
    if (table === undefined) throw new RangeError(`test ERP has no entity ${entity}`);
    return table;
  }
}

function fail(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ErpOpOutcome {
  return details === undefined
    ? { status, error: { code, message } }
    : { status, error: { code, message, details } };
}

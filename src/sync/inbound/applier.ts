import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { errors, isAppError } from '../../shared/errors/index.js';

/** A local record as an applier sees it: the module's public shape plus what optimistic locking needs. */
export interface LocalRecord {
  id: string;
  version: number;
  /** ISO-8601 UTC of the last local change (the Fieldsync side of `latest-wins`). */
  updatedAt: string;
  /** The record as the module's API and events show it; field values are read from here by path. */
  data: Record<string, unknown>;
  /**
   * The same record in the shape the ERP side arrives in, where the two differ (lists whose rows carry
   * local ids and states the ERP does not know). Pulls compare and snapshot this view; default `data`.
   */
  compared?: Record<string, unknown>;
}

/**
 * Applies pulled values to one Fieldsync entity through its module's public functions, so every change
 * runs the module's rules and emits its events. One file per entity plus one line in `registry.ts`.
 */
export interface InboundApplier {
  /** The Fieldsync entity (flow `target.entity`), e.g. `customer`. */
  entity: string;
  /** Key of the record in the module's event data (`{ customer: {...}, changedFields }`). */
  eventKey: string;
  /** Field names an inbound mapping may target (top-level record fields). */
  fields: readonly string[];
  /**
   * Object fields whose keys a mapping may target one by one (`externalRefs.tryton`): the applier takes
   * such a target as a flat `<field>.<key>` entry of the patch. A dotted target into any other field is
   * refused when the flow loads, since no other applier reads one.
   */
  keyedFields?: readonly string[];
  /**
   * The current record, or undefined when it does not exist. A pull passes the mapped values it is about
   * to compare, for records whose comparable view depends on what the ERP read contains (a stock level
   * leaves out the receipts booked after the level was read); other callers pass nothing.
   */
  read(
    executor: Executor,
    id: string,
    pulled?: Readonly<Record<string, unknown>>,
  ): Promise<LocalRecord | undefined>;
  /** An existing record the ERP record stands for although the crosswalk does not know it (by code, SKU...). */
  findMatch(executor: Executor, values: Readonly<Record<string, unknown>>): Promise<LocalRecord | undefined>;
  create(uow: UnitOfWork, values: Readonly<Record<string, unknown>>): Promise<LocalRecord>;
  /** Changes only the given fields; `expectedVersion` guards against a local edit since `read`. */
  update(
    uow: UnitOfWork,
    id: string,
    patch: Readonly<Record<string, unknown>>,
    expectedVersion: number,
  ): Promise<LocalRecord>;
}

interface SafeParser<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Validates pulled values with the module's own input schema; failures become an AppError `validation`. */
export function parsePulled<T>(schema: SafeParser<T>, values: unknown, what: string): T {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: i.message,
  }));
  throw errors.validation(
    `pulled ${what} is invalid: ${issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/** Creation has no "clear this field": a pulled null means the value is simply not there. */
export function withoutNulls(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
}

/** An applier's `read` from the module's getter: a record that is not there is undefined, not an error. */
export function readLocal<T>(
  load: (executor: Executor, id: string) => Promise<T>,
  toLocal: (record: T) => LocalRecord,
): (executor: Executor, id: string) => Promise<LocalRecord | undefined> {
  return async (executor, id) => {
    try {
      return toLocal(await load(executor, id));
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return undefined;
      throw error;
    }
  };
}

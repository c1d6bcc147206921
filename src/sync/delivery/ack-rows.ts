import type { SyncAttemptsTable } from '../store/tables.js';

/** One acknowledgement as row sets, each bound to the SQL as one JSON parameter. */
export interface AckRows {
  owner: string;
  now: string;
  /** Deliveries the connector accepted. */
  delivered: number[];
  /**
   * The deliveries of `delivered` that succeeded on their first try, and the attempt they share, kept
   * on their delivery rows instead of as attempt rows. Null when the batch has none, or when they do
   * not share one start and duration (then each has its attempt row, as any other attempt).
   */
  firstTry: FirstTry | null;
  /** Deliveries that failed: back to pending with a retry time, or dead. */
  settled: SettledRow[];
  /**
   * One history row per outcome but first-try successes (see `firstTry`); written only for deliveries
   * still leased by `owner`.
   */
  attempts: AttemptRow[];
  /** Crosswalk links confirmed by delivered outcomes, at most one per record. */
  links: LinkRow[];
}

export interface FirstTry {
  ids: number[];
  started_at: string;
  duration_ms: number;
}

const noFirstTry: FirstTry = { ids: [], started_at: '', duration_ms: 0 };

/**
 * Whether every delivered row is a first-try success (the common case): the delivered update then sets
 * the shared start and duration as plain values, with no per-row test of the id list. `firstTry.ids` is
 * a subset of `delivered`, both without repeats, so equal sizes mean equal sets.
 */
export function everyDeliveredFirstTry(rows: AckRows): boolean {
  return rows.firstTry !== null && rows.firstTry.ids.length === rows.delivered.length;
}

/** `rows.firstTry`, or one that matches no delivery: the delivered update binds it either way. */
export function firstTryOf(rows: AckRows): FirstTry {
  return rows.firstTry ?? noFirstTry;
}

export interface SettledRow extends Record<string, string | number | null> {
  id: number;
  status: 'pending' | 'dead';
  next_attempt_at: string;
  error_class: string;
  error_message: string;
  mapped_request: string | null;
  /** Set when the attempt is given back (auth, rate limit); null counts the attempt the lease began. */
  attempts: number | null;
}

/** A `sync_attempts` row as written. */
export type AttemptRow = Omit<SyncAttemptsTable, 'id'>;

export interface LinkRow extends Record<string, string | number | null> {
  /** connector, entity and local id joined: the link's identity within the batch. */
  key: string;
  delivery_id: number;
  connector: string;
  entity: string;
  local_id: string;
  external_id: string;
}

export const attemptColumns = {
  delivery_id: 'bigint',
  flow: 'text',
  attempt: 'integer',
  started_at: 'text',
  duration_ms: 'integer',
  outcome: 'text',
  error_class: 'text',
  error_message: 'text',
} as const;

export const settledColumns = {
  id: 'bigint',
  status: 'text',
  next_attempt_at: 'text',
  error_class: 'text',
  error_message: 'text',
  mapped_request: 'text',
  attempts: 'integer',
} as const;

export const linkColumns = {
  delivery_id: 'bigint',
  connector: 'text',
  entity: 'text',
  local_id: 'text',
  external_id: 'text',
} as const;

import type { LimitFunction } from 'p-limit';

/** The context dictionary Tryton expects as the last parameter of every model call. */
export type TrytonContext = Record<string, unknown>;

/** A Tryton domain, e.g. [['name', 'ilike', 'acme%']] or ['OR', [...], [...]]. */
export type TrytonDomain = readonly unknown[];

export interface TrytonWarning {
  name: string;
  message: string;
  method: string;
}

/**
 * Whether a UserWarning may be acknowledged (a `res.user.warning` row created for it) and the call
 * retried. `true` acknowledges every warning; a function decides per warning.
 */
export type TrytonWarningPolicy = boolean | ((warning: TrytonWarning) => boolean);

export interface TrytonClientOptions {
  /** Server base URL, e.g. 'http://127.0.0.1:8000'. */
  url: string;
  database: string;
  login: string;
  password: string;
  /** Login language (default 'en'). */
  language?: string;
  /** Per-request timeout in ms (default 30 000). A timed-out write may still have committed. */
  timeoutMs?: number;
  /** Maximum concurrent HTTP requests from this client (default 1: Tryton on SQLite takes one writer). */
  maxInFlight?: number;
  /**
   * A p-limit limiter shared by several clients of the same database (overrides maxInFlight). On SQLite
   * concurrent writers fail ("database is locked", or duplicate sequence numbers reported as UserErrors),
   * so every client of one SQLite database should share one limiter of 1.
   */
  limiter?: LimitFunction;
  /** Merged over the user's preferences for every model call. */
  context?: TrytonContext;
  /** Forces `company` in the context (default: the user's current company). */
  company?: number;
  /** Fail model calls with an `auth` error when no company is in the context (default true). */
  requireCompany?: boolean;
  /** Default warning policy for calls (default false: warnings are errors). */
  acknowledgeWarnings?: TrytonWarningPolicy;
  /** At most this many distinct warnings are acknowledged for one call (default 3). */
  maxWarningAcks?: number;
}

export interface TrytonCallOptions {
  /** Merged over the client context for this call only (model calls). */
  context?: TrytonContext;
  acknowledgeWarnings?: TrytonWarningPolicy;
  timeoutMs?: number;
  /**
   * The call may be resent when a pooled connection turns out to be dead. Defaults to true for
   * read-only methods (read, search, search_read, search_count, fields_get, get_preferences).
   */
  idempotent?: boolean;
}

export interface TrytonWriteOptions extends TrytonCallOptions {
  /** Encode values from the model's field types (default true); see field-coercion.ts. */
  coerce?: boolean;
}

export interface TrytonSearchOptions extends TrytonCallOptions {
  offset?: number;
  limit?: number | null;
  /** e.g. [['id', 'ASC']] */
  order?: ReadonlyArray<readonly [string, 'ASC' | 'DESC']> | null;
}

export interface TrytonSearchReadOptions extends TrytonSearchOptions {
  fields: readonly string[];
}

export interface TrytonSession {
  userId: number;
  /** Value of the Authorization header ("Session base64(login:userId:key)"). */
  header: string;
}

export interface TrytonClientStats {
  maxInFlight: number;
  inFlight: number;
  queued: number;
  logins: number;
}

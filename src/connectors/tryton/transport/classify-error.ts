import { ConnectorError } from '../../sdk/connector-error.js';
import type { ConnectorErrorClass } from '../../sdk/connector-error.js';
import { classifyHttpStatus, classifyNetworkError } from '../../sdk/error-classes.js';

/**
 * Turns every way a Tryton call can fail into a ConnectorError with one class. This file is the only
 * place that looks at Tryton's error shapes; the sync engine decides retry vs dead-letter from the class.
 *
 * Decisions worth knowing (see docs/connectors/tryton-harness.md):
 * - AccessError, DomainValidationError, RequiredValidationError... are Python subclasses of UserError and
 *   arrive on the wire tagged "UserError": they are `validation` (retrying cannot help; a human must fix
 *   data or rights). Telling an AccessError apart would mean matching translated text, which we refuse.
 * - HTTP statuses follow the SDK table (docs/connectors/sdk.md) with two refinements: 403 from trytond
 *   means "method not exposed over RPC" (a programming error), so `validation`, not `auth`; 404 on a
 *   database URL means the database does not exist (configuration), so `auth`, not `not_found`, and
 *   the connector is paused for a human rather than retried forever.
 * - A bare exception string is Python's str(exc) (e.g. "'product.nope'" for an unknown model, a KeyError).
 *   Those are `validation`, except SQLite's "database is locked", which Tryton passes through after its
 *   own retries when another writer holds the file: that is contention, hence `transient`; and except on
 *   `common.db.login`, where an exception means a missing database on SQLite: `auth`, like HTTP 404.
 */

/** Tryton's own error payload, decoded (vendorDetail of the ConnectorError). */
export type TrytonErrorDetail =
  | { kind: 'UserError'; method: string; message: string; description: string; domain: unknown }
  | { kind: 'UserWarning'; method: string; name: string; message: string; description: string }
  | { kind: 'ConcurrencyException'; method: string; message: string }
  | { kind: 'LoginException'; method: string; name: string; message: string }
  | { kind: 'exception'; method: string; message: string; traceback: string }
  | { kind: 'http'; method: string; status: number; body: string }
  | { kind: 'network'; method: string; code: string; message: string };

const asString = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value ?? '');

/** Tryton passes SQLite's OperationalError text through verbatim; see the module comment. */
const sqliteBusy = /^database is locked$/;

/** Classifies the `error` member of a JSON-RPC response (HTTP 200). */
export function classifyTrytonRpcError(method: string, error: unknown): ConnectorError {
  const [tag, args] = Array.isArray(error) ? (error as unknown[]) : [error, undefined];
  const list = Array.isArray(args) ? (args as unknown[]) : [];
  switch (tag) {
    case 'UserError': {
      const detail: TrytonErrorDetail = {
        kind: 'UserError',
        method,
        message: asString(list[0]),
        description: asString(list[1]),
        domain: list[2] ?? null,
      };
      const text = detail.description ? `${detail.message} (${detail.description})` : detail.message;
      return new ConnectorError('validation', `Tryton refused ${method}: ${text}`, { vendorDetail: detail });
    }
    case 'UserWarning': {
      const detail: TrytonErrorDetail = {
        kind: 'UserWarning',
        method,
        name: asString(list[0]),
        message: asString(list[1]),
        description: asString(list[2]),
      };
      return new ConnectorError(
        'validation',
        `Tryton warning on ${method} [${detail.name}]: ${detail.message}`,
        {
          vendorDetail: detail,
        },
      );
    }
    case 'ConcurrencyException': {
      const detail: TrytonErrorDetail = { kind: 'ConcurrencyException', method, message: asString(args) };
      return new ConnectorError('conflict', `Tryton concurrency conflict on ${method}: ${detail.message}`, {
        vendorDetail: detail,
      });
    }
    case 'LoginException': {
      const detail: TrytonErrorDetail = {
        kind: 'LoginException',
        method,
        name: asString(list[0]),
        message: asString(list[1]),
      };
      return new ConnectorError('auth', `Tryton login needs "${detail.name}": ${detail.message}`, {
        vendorDetail: detail,
      });
    }
    default: {
      const detail: TrytonErrorDetail = {
        kind: 'exception',
        method,
        message: asString(tag),
        traceback: typeof args === 'string' ? args : '',
      };
      // A login that fails with an exception (e.g. "Database '...sqlite' doesn't exist!" on SQLite, where
      // PostgreSQL answers 404) is a configuration problem for a human, like a wrong password.
      const errorClass = sqliteBusy.test(detail.message)
        ? 'transient'
        : method === 'common.db.login'
          ? 'auth'
          : 'validation';
      return new ConnectorError(errorClass, `Tryton raised on ${method}: ${detail.message}`, {
        vendorDetail: detail,
      });
    }
  }
}

/**
 * Classifies a non-200 HTTP answer: the SDK's table, refined for what each status means from trytond.
 * (Tryton answers 200 for its own errors; these statuses come from its HTTP layer.)
 */
export function classifyTrytonHttpStatus(
  method: string,
  status: number,
  body: string,
  headers: Headers | Record<string, string> = {},
): ConnectorError {
  const detail: TrytonErrorDetail = { kind: 'http', method, status, body: body.slice(0, 500) };
  const base = classifyHttpStatus(status, headers) ?? { errorClass: 'transient' as const };
  let errorClass: ConnectorErrorClass = base.errorClass;
  let what = `HTTP ${status}`;
  if (status === 401) what = 'credentials or session rejected (HTTP 401)';
  if (status === 403) {
    errorClass = 'validation';
    what = 'method not exposed over RPC (HTTP 403)';
  }
  if (status === 404) {
    errorClass = 'auth';
    what = 'database not found (HTTP 404)';
  }
  if (status === 429) what = 'rate limiting, usually after failed logins (HTTP 429)';
  return new ConnectorError(errorClass, `Tryton ${what} on ${method}`, {
    vendorDetail: detail,
    ...(base.retryAfterMs === undefined ? {} : { retryAfterMs: base.retryAfterMs }),
  });
}

/** Error codes meaning "the bytes may never have reached Tryton, or the answer never came back". */
function networkCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'TIMEOUT';
    if (error.name === 'AbortError') return 'ABORTED';
    const cause = (error as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string')
      return cause.code;
    if (cause instanceof Error) return networkCode(cause);
  }
  return 'NETWORK';
}

/**
 * Classifies a fetch rejection with the SDK's rule (refused, reset, timeout → transient; TLS → auth),
 * keeping the Tryton method and a short code in vendorDetail.
 */
export function classifyTrytonNetworkFailure(
  method: string,
  error: unknown,
  timeoutMs: number,
): ConnectorError {
  const { errorClass } = classifyNetworkError(error);
  const code = networkCode(error);
  const message =
    code === 'TIMEOUT'
      ? `Tryton did not answer ${method} within ${timeoutMs} ms`
      : `Tryton unreachable on ${method} (${code})`;
  const detail: TrytonErrorDetail = {
    kind: 'network',
    method,
    code,
    message: error instanceof Error ? error.message : String(error),
  };
  return new ConnectorError(errorClass, message, { vendorDetail: detail, cause: error });
}

/**
 * True when the connection died under the request (typically a pooled keep-alive socket the server had
 * closed). The request may or may not have run, so only idempotent calls may be resent.
 */
export function isConnectionReset(error: ConnectorError): boolean {
  const detail = error.vendorDetail as { kind?: string; code?: string } | undefined;
  if (detail?.kind !== 'network' || detail.code === undefined) return false;
  return ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'].includes(detail.code);
}

/** The warning name when `error` is a Tryton UserWarning, else undefined. */
export function userWarningName(error: unknown): string | undefined {
  if (!(error instanceof ConnectorError)) return undefined;
  const detail = error.vendorDetail as Partial<TrytonErrorDetail> | undefined;
  return detail?.kind === 'UserWarning' ? detail.name : undefined;
}

import { ConnectorError } from '../../sdk/connector-error.js';

/**
 * Turns every way a Tryton call can fail into a ConnectorError with one class. This file is the only
 * place that looks at Tryton's error shapes; the sync engine decides retry vs dead-letter from the class.
 *
 * Decisions worth knowing (see docs/connectors/tryton-harness.md):
 * - AccessError, DomainValidationError, RequiredValidationError... are Python subclasses of UserError and
 *   arrive on the wire tagged "UserError": they are `validation` (retrying cannot help; a human must fix
 *   data or rights). Telling an AccessError apart would mean matching translated text, which we refuse.
 * - HTTP 403 means "method not exposed over RPC" (a programming error): `validation`.
 * - HTTP 404 on a database URL means the database does not exist (configuration): `auth`, so the
 *   connector is paused for a human rather than retried forever.
 * - A bare exception string is Python's str(exc) (e.g. "'product.nope'" for an unknown model, a KeyError).
 *   Those are `validation`, except SQLite's "database is locked", which Tryton passes through after its
 *   own retries when another writer holds the file: that is contention, hence `transient`.
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

const asString = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));

/** Tryton passes SQLite's OperationalError text through verbatim; see the module comment. */
const sqliteBusy = /^database is locked$/;

/** Classifies the `error` member of a JSON-RPC response (HTTP 200). */
export function classifyRpcError(method: string, error: unknown): ConnectorError {
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
      return new ConnectorError('validation', `Tryton warning on ${method} [${detail.name}]: ${detail.message}`, {
        vendorDetail: detail,
      });
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
      const errorClass = sqliteBusy.test(detail.message) ? 'transient' : 'validation';
      return new ConnectorError(errorClass, `Tryton raised on ${method}: ${detail.message}`, { vendorDetail: detail });
    }
  }
}

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classifies a non-200 HTTP answer. */
export function classifyHttpStatus(
  method: string,
  status: number,
  body: string,
  retryAfter: string | null,
): ConnectorError {
  const detail: TrytonErrorDetail = { kind: 'http', method, status, body: body.slice(0, 500) };
  if (status === 401) {
    return new ConnectorError('auth', `Tryton rejected the credentials or session (HTTP 401) on ${method}`, {
      vendorDetail: detail,
    });
  }
  if (status === 404) {
    return new ConnectorError('auth', `Tryton database not found (HTTP 404) on ${method}`, { vendorDetail: detail });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new ConnectorError('rate_limited', `Tryton is rate limiting (HTTP 429) ${method}`, {
      vendorDetail: detail,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 408 || status >= 500) {
    return new ConnectorError('transient', `Tryton answered HTTP ${status} on ${method}`, { vendorDetail: detail });
  }
  return new ConnectorError('validation', `Tryton answered HTTP ${status} on ${method}`, { vendorDetail: detail });
}

/** Error codes meaning "the bytes may never have reached Tryton, or the answer never came back". */
function networkCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'TIMEOUT';
    if (error.name === 'AbortError') return 'ABORTED';
    const cause = (error as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
    if (cause instanceof Error) return networkCode(cause);
  }
  return 'NETWORK';
}

/** Classifies a fetch rejection (refused, reset, timeout, DNS...): always transient. */
export function classifyNetworkFailure(method: string, error: unknown, timeoutMs: number): ConnectorError {
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
  return new ConnectorError('transient', message, { vendorDetail: detail, cause: error });
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

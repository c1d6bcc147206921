import { ConnectorError, ConnectorErrorClass, isConnectorError } from './connector-error.js';

export { ConnectorError, ConnectorErrorClass, isConnectorError };
export type { ConnectorErrorOptions } from './connector-error.js';

/** A vendor may ask for at most this long a pause; anything longer is treated as a broken header. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export type HeaderBag = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface HttpClassification {
  errorClass: ConnectorErrorClass;
  retryAfterMs?: number;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function classOfStatus(status: number): ConnectorErrorClass {
  if (status >= 300 && status < 400) return 'auth'; // redirects are not followed: login page or wrong base URL
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 425 || status >= 500) return 'transient';
  return 'validation';
}

/**
 * Maps an HTTP status to an error class (the table is in docs/connectors/sdk.md); `null` for success.
 * Connectors may refine the result from the vendor's body (e.g. an explicit `cursor_invalid` code).
 */
export function classifyHttpStatus(
  status: number,
  headers: HeaderBag = {},
  now?: number,
): HttpClassification | null {
  if (status >= 200 && status < 300) return null;
  if (status < 200) return { errorClass: 'transient' };
  const errorClass = classOfStatus(status);
  const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), now);
  // Retry-After also comes with 503 and 3xx; it is kept on any class because the wait applies anyway.
  return retryAfterMs === undefined ? { errorClass } : { errorClass, retryAfterMs };
}

export interface HttpFailure {
  status: number;
  headers?: HeaderBag;
  message?: string;
  vendorDetail?: unknown;
}

export function connectorErrorFromHttp(failure: HttpFailure): ConnectorError {
  const classification = classifyHttpStatus(failure.status, failure.headers ?? {}) ?? {
    errorClass: ConnectorErrorClass.transient,
  };
  return new ConnectorError(classification.errorClass, failure.message ?? `HTTP ${failure.status}`, {
    retryAfterMs: classification.retryAfterMs,
    vendorDetail: failure.vendorDetail ?? { status: failure.status },
  });
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
]);

/** Walks `cause` links (fetch wraps socket errors in `TypeError: fetch failed`) for the first code. */
function findCode(error: unknown): { code?: string; name?: string } {
  let current: unknown = error;
  let name: string | undefined;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (name === undefined && (candidate.name === 'TimeoutError' || candidate.name === 'AbortError')) {
      name = candidate.name;
    }
    if (typeof candidate.code === 'string') return { code: candidate.code, name };
    current = candidate.cause;
  }
  return { name };
}

/**
 * Classifies a failure that happened below HTTP (refused, reset, timed out, TLS). Codes decide, never
 * message text. Certificate problems need an operator, so they are `auth` (connector-wide, long waits);
 * everything else below HTTP is `transient`. A `ConnectorError` passes through unchanged.
 */
export function classifyNetworkError(error: unknown): ConnectorError {
  if (isConnectorError(error)) return error;
  const { code, name } = findCode(error);
  const label = code ?? name ?? 'unknown';
  const errorClass =
    code !== undefined && (tlsCodes.has(code) || code.startsWith('CERT_')) ? 'auth' : 'transient';
  return new ConnectorError(errorClass, `network error: ${label}`, {
    cause: error,
    vendorDetail: { code: label },
  });
}

/**
 * The closed set of failure classes a connector may report. Connectors classify vendor errors into one
 * of these; whether to retry or dead-letter is decided once, by the sync engine's retry policy, from the
 * class alone (never by matching message text).
 */
export const ConnectorErrorClass = {
  transient: 'transient',
  rateLimited: 'rate_limited',
  auth: 'auth',
  notFound: 'not_found',
  validation: 'validation',
  conflict: 'conflict',
  cursorInvalid: 'cursor_invalid',
} as const;
export type ConnectorErrorClass = (typeof ConnectorErrorClass)[keyof typeof ConnectorErrorClass];

export interface ConnectorErrorOptions {
  /** For rate_limited: how long the vendor asked us to wait. */
  retryAfterMs?: number;
  /** The vendor's own error shape, kept for dead-letter inspection (never secrets). */
  vendorDetail?: unknown;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly errorClass: ConnectorErrorClass;
  readonly retryAfterMs: number | undefined;
  readonly vendorDetail: unknown;

  constructor(errorClass: ConnectorErrorClass, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.errorClass = errorClass;
    this.retryAfterMs = options.retryAfterMs;
    this.vendorDetail = options.vendorDetail;
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

import { ConnectorError, isConnectorError } from '../../sdk/connector-error.js';
import type { ConnectorErrorClass } from '../../sdk/connector-error.js';
import type { WriteOp, WriteResult } from '../../sdk/connector.js';

/** Anything that escapes our own code unclassified (a bug) becomes a counted, retried failure. */
export function toConnectorError(error: unknown): ConnectorError {
  if (isConnectorError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError('transient', `tryton connector: unexpected failure: ${message}`, {
    vendorDetail: { kind: 'internal' },
    cause: error,
  });
}

/**
 * trytond's login throttle answers 429 without `Retry-After`; the engine needs a pause to honour, so we
 * supply the configured one instead of letting the breaker probe a throttled login every second.
 */
export function withDefaultRetryAfter(error: ConnectorError, retryAfterMs: number): ConnectorError {
  if (error.errorClass !== 'rate_limited' || (error.retryAfterMs ?? 0) > 0) return error;
  return new ConnectorError(error.errorClass, error.message, {
    retryAfterMs,
    vendorDetail: error.vendorDetail,
    cause: error,
  });
}

export function opError(
  errorClass: ConnectorErrorClass,
  message: string,
  vendorDetail?: unknown,
): ConnectorError {
  return new ConnectorError(errorClass, message, vendorDetail === undefined ? {} : { vendorDetail });
}

export function okResult(op: WriteOp, externalId: string | number, replayed = false): WriteResult {
  return replayed
    ? { idempotencyKey: op.idempotencyKey, ok: true, externalId: String(externalId), replayed: true }
    : { idempotencyKey: op.idempotencyKey, ok: true, externalId: String(externalId) };
}

export function failedResult(op: WriteOp, error: unknown): WriteResult {
  return { idempotencyKey: op.idempotencyKey, ok: false, error: toConnectorError(error) };
}

/**
 * A failure that concerns one op only (Tryton refused its data, or a reference in it does not resolve).
 * Everything else (down, throttled, auth, timeouts) concerns the whole call and is rethrown.
 */
export function isPerOpFailure(error: unknown): boolean {
  return (
    isConnectorError(error) &&
    (error.errorClass === 'validation' || error.errorClass === 'not_found' || error.errorClass === 'conflict')
  );
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { ConnectorError } from '../../sdk/connector-error.js';

/**
 * The abort signal of the connector call being served. A write runs through dozens of entity functions
 * and RPCs; rather than threading the caller's signal through every one of them, the session opens a
 * scope around the call and the transport reads it for each request it sends.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export function withCallSignal<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  return signal ? scope.run(signal, run) : run();
}

/** The signal of the call in progress, if its caller gave one. */
export function currentCallSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** The error a request gets when its call was abandoned before it was sent. */
export function abandonedCall(method: string, signal: AbortSignal): ConnectorError {
  return new ConnectorError('transient', `call abandoned by the caller before ${method} was sent`, {
    cause: signal.reason,
  });
}

import type { ConnectorError } from '../../sdk/connector-error.js';
import {
  classifyTrytonHttpStatus,
  classifyTrytonNetworkFailure,
  classifyTrytonRpcError,
} from './classify-error.js';
import { encodeTrytonValue, reviveTrytonValue } from './typed-values.js';

export interface JsonRpcRequest {
  /** Full URL, e.g. http://127.0.0.1:8000/fieldsync/ (the database is the path). */
  url: string;
  method: string;
  params: readonly unknown[];
  authorization?: string;
  timeoutMs: number;
  /** The caller gave up: cancel the request (see `call-scope.ts`). */
  signal?: AbortSignal;
}

export type JsonRpcOutcome = { ok: true; result: unknown } | { ok: false; error: ConnectorError };

let nextId = 1;

/**
 * One JSON-RPC round trip. The body is exactly {id, method, params}: Tryton switches to its HTTP-status
 * error format as soon as any other key (such as "jsonrpc") is present. Never throws: every failure is
 * returned already classified, so callers can decide about re-login or warning acknowledgement.
 * Node's fetch keeps connections alive by default (one pooled agent per origin).
 */
export async function postJsonRpc(request: JsonRpcRequest): Promise<JsonRpcOutcome> {
  const body = JSON.stringify({
    id: nextId++,
    method: request.method,
    params: encodeTrytonValue(request.params),
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (request.authorization) headers.Authorization = request.authorization;
  // Avoids the WWW-Authenticate challenge header on 401, which is meant for browsers.
  headers['X-Requested-With'] = 'XMLHttpRequest';

  let status: number;
  let text: string;
  let responseHeaders: Headers;
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers,
      body,
      signal: request.signal
        ? AbortSignal.any([AbortSignal.timeout(request.timeoutMs), request.signal])
        : AbortSignal.timeout(request.timeoutMs),
    });
    status = response.status;
    responseHeaders = response.headers;
    text = await response.text();
  } catch (error) {
    return { ok: false, error: classifyTrytonNetworkFailure(request.method, error, request.timeoutMs) };
  }

  if (status !== 200) {
    return { ok: false, error: classifyTrytonHttpStatus(request.method, status, text, responseHeaders) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviveTrytonValue);
  } catch {
    // Something other than trytond (a proxy page, a half-written body) answered: try again later.
    return { ok: false, error: classifyTrytonHttpStatus(request.method, 502, text) };
  }
  if (parsed !== null && typeof parsed === 'object' && 'error' in parsed && parsed.error != null) {
    return { ok: false, error: classifyTrytonRpcError(request.method, parsed.error) };
  }
  if (parsed !== null && typeof parsed === 'object' && 'result' in parsed) {
    return { ok: true, result: parsed.result };
  }
  return { ok: false, error: classifyTrytonHttpStatus(request.method, 502, text) };
}

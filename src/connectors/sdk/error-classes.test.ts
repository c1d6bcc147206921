import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from './connector-error.js';
import {
  MAX_RETRY_AFTER_MS,
  classifyHttpStatus,
  classifyNetworkError,
  connectorErrorFromHttp,
  parseRetryAfter,
} from './error-classes.js';

describe('classifyHttpStatus', () => {
  it.each([
    [200, null],
    [204, null],
    [302, 'auth'],
    [400, 'validation'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [408, 'transient'],
    [409, 'conflict'],
    [410, 'not_found'],
    [412, 'conflict'],
    [413, 'validation'],
    [422, 'validation'],
    [429, 'rate_limited'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
  ] as const)('%i → %s', (status, expected) => {
    expect(classifyHttpStatus(status)?.errorClass ?? null).toBe(expected);
  });

  it('reads Retry-After as seconds or HTTP-date, from Headers or a plain object, any case', () => {
    expect(classifyHttpStatus(429, { 'Retry-After': '5' })).toEqual({
      errorClass: 'rate_limited',
      retryAfterMs: 5000,
    });
    expect(classifyHttpStatus(503, new Headers({ 'retry-after': '2' }))).toEqual({
      errorClass: 'transient',
      retryAfterMs: 2000,
    });
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('builds a ConnectorError carrying class, retry-after and the status', () => {
    const error = connectorErrorFromHttp({
      status: 429,
      headers: { 'retry-after': '1' },
      message: 'slow down',
    });
    expect(error).toBeInstanceOf(ConnectorError);
    expect([error.errorClass, error.retryAfterMs, error.message, error.vendorDetail]).toEqual([
      'rate_limited',
      1000,
      'slow down',
      { status: 429 },
    ]);
  });
});

describe('classifyNetworkError', () => {
  it('classifies a refused connection from real fetch as transient, by code', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    const classified = classifyNetworkError(error);
    expect([classified.errorClass, classified.vendorDetail]).toEqual(['transient', { code: 'ECONNREFUSED' }]);
    expect(classified.cause).toBe(error);
  });

  it('classifies a timeout abort as transient', async () => {
    const server = createServer(() => undefined); // accepts and never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const error = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(50) }).catch(
      (e: unknown) => e,
    );
    server.close();
    server.unref();
    expect(classifyNetworkError(error).errorClass).toBe('transient');
    expect(classifyNetworkError(error).vendorDetail).toEqual({ code: 'TimeoutError' });
  });

  it('classifies certificate failures as auth and passes ConnectorErrors through', () => {
    const tls = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }),
    });
    expect(classifyNetworkError(tls).errorClass).toBe('auth');
    const own = new ConnectorError('conflict', 'mine');
    expect(classifyNetworkError(own)).toBe(own);
    expect(classifyNetworkError('weird').errorClass).toBe('transient');
  });
});

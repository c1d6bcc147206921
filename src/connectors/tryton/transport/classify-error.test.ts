import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../sdk/connector-error.js';
import {
  classifyTrytonHttpStatus,
  classifyTrytonNetworkFailure,
  classifyTrytonRpcError,
  userWarningName,
} from './classify-error.js';

// Error payloads below are copied from real trytond 6.0 answers (see tryton-client.test.ts for live ones).
describe('classifyRpcError', () => {
  it('UserError → validation with message, description and domain kept', () => {
    const error = classifyTrytonRpcError('model.product.template.create', [
      'UserError',
      ['A value is required for field "Name" in "Product Template".', '', null],
    ]);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.errorClass).toBe('validation');
    expect(error.vendorDetail).toMatchObject({ kind: 'UserError', method: 'model.product.template.create' });
  });

  it('UserWarning → validation carrying the warning name', () => {
    const error = classifyTrytonRpcError('model.stock.move.do', [
      'UserWarning',
      ['668ff76f.done', 'Stock moves "5u Filter" have no origin.', ''],
    ]);
    expect(error.errorClass).toBe('validation');
    expect(userWarningName(error)).toBe('668ff76f.done');
  });

  it('ConcurrencyException → conflict; LoginException → auth', () => {
    expect(
      classifyTrytonRpcError('m', ['ConcurrencyException', 'Records were modified in the meanwhile'])
        .errorClass,
    ).toBe('conflict');
    expect(
      classifyTrytonRpcError('common.db.login', ['LoginException', ['password', 'Password', 'password']])
        .errorClass,
    ).toBe('auth');
  });

  it('bare exception strings → validation, except SQLite contention → transient', () => {
    const unknownModel = classifyTrytonRpcError('model.nope.read', ["'nope'", '']);
    expect(unknownModel.errorClass).toBe('validation');
    expect(unknownModel.vendorDetail).toMatchObject({ kind: 'exception', message: "'nope'" });
    expect(classifyTrytonRpcError('model.party.party.create', ['database is locked', '']).errorClass).toBe(
      'transient',
    );
  });
});

describe('classifyTrytonHttpStatus', () => {
  it('follows the SDK table with the Tryton refinements (403 → validation, 404 → auth)', () => {
    const cls = (status: number): string => classifyTrytonHttpStatus('m', status, '').errorClass;
    expect(cls(401)).toBe('auth');
    expect(cls(404)).toBe('auth');
    expect(cls(403)).toBe('validation');
    expect(cls(413)).toBe('validation');
    expect(cls(408)).toBe('transient');
    expect(cls(500)).toBe('transient');
    expect(cls(503)).toBe('transient');
    expect(cls(429)).toBe('rate_limited');
  });

  it('keeps Retry-After (seconds or HTTP date) and the body excerpt', () => {
    const limited = classifyTrytonHttpStatus('common.db.login', 429, '<html>Too Many</html>', {
      'retry-after': '7',
    });
    expect(limited.retryAfterMs).toBe(7000);
    expect(limited.vendorDetail).toMatchObject({ kind: 'http', status: 429, body: '<html>Too Many</html>' });
    expect(classifyTrytonHttpStatus('m', 429, '').retryAfterMs).toBeUndefined();
    const dated = new Headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
    const ms = classifyTrytonHttpStatus('m', 503, '', dated).retryAfterMs ?? 0;
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});

describe('classifyTrytonNetworkFailure', () => {
  it('uses the SDK rule: socket failures transient, certificate failures auth', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyTrytonNetworkFailure('m', refused, 1000)).toMatchObject({
      errorClass: 'transient',
      vendorDetail: { kind: 'network', code: 'ECONNREFUSED' },
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyTrytonNetworkFailure('m', timeout, 1000)).toMatchObject({
      errorClass: 'transient',
      vendorDetail: { code: 'TIMEOUT' },
    });
    const cert = new TypeError('fetch failed', {
      cause: Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' }),
    });
    expect(classifyTrytonNetworkFailure('m', cert, 1000).errorClass).toBe('auth');
  });
});

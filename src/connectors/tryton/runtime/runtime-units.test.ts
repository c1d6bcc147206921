import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../sdk/connector-error.js';
import { ConnectorError } from '../../sdk/connector-error.js';
import { trytonConfigSchema } from '../config.js';
import { linePricing } from '../entities/invoice/invoice-payload.js';
import { addressCommands, mechanismCommands } from '../entities/party/party-addresses.js';
import { isolateFailures } from './isolate.js';
import { warningPolicy } from './runtime.js';
import { canonicalStamp, dateOf } from './stamps.js';

describe('stamps', () => {
  it('brings cursor spellings to Tryton form and refuses garbage as cursor_invalid', () => {
    expect(canonicalStamp('2026-03-01T10:00:00.5Z')).toBe('2026-03-01T10:00:00.500000Z');
    expect(canonicalStamp('2026-03-01T11:00:00+01:00')).toBe('2026-03-01T10:00:00.000000Z');
    expect(canonicalStamp('2026-03-01T10:00:00.123456Z')).toBe('2026-03-01T10:00:00.123456Z');
    for (const bad of ['yesterday', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '']) {
      let error: unknown;
      try {
        canonicalStamp(bad);
      } catch (e) {
        error = e;
      }
      expect(isConnectorError(error) && error.errorClass, bad).toBe('cursor_invalid');
    }
    expect(dateOf('2026-02-28T23:30:00-05:00')).toBe('2026-02-28');
  });
});

describe('invoice line pricing', () => {
  it('keeps quantity × price when it equals the net', () => {
    expect(
      linePricing({ description: 'Labor', quantity: '2', unitPrice: '80.00', netAmount: '160.00' }),
    ).toEqual({
      quantity: '2',
      unitPrice: '80',
      description: 'Labor',
    });
  });
  it('uses net ÷ quantity when exact, else quantity 1 at the net with the quantity in the text', () => {
    expect(
      linePricing({ description: 'Filter', quantity: '3', unitPrice: '12.50', netAmount: '30.00' }).unitPrice,
    ).toBe('10');
    expect(
      linePricing({ description: 'Filter', quantity: '3', unitPrice: '49.90', netAmount: '100.00' }),
    ).toEqual({
      quantity: '1',
      unitPrice: '100',
      description: 'Filter (3 × 49.9)',
    });
    expect(
      linePricing({
        description: 'Credit',
        quantity: '-2',
        unitPrice: { amount: '40.00', currency: 'EUR' },
        netAmount: { amount: '-80.00', currency: 'EUR' },
      }),
    ).toMatchObject({
      quantity: '-2',
      unitPrice: '40',
    });
  });
});

describe('party address and contact commands', () => {
  const existing = [
    {
      id: 1,
      party: 9,
      name: 'HQ',
      street: 'Rue 1',
      postal_code: '9000',
      city: 'Gent',
      country: null,
      active: true,
    },
    {
      id: 2,
      party: 9,
      name: null,
      street: 'Kaai 3',
      postal_code: null,
      city: 'Antwerpen',
      country: 5,
      active: true,
    },
  ];
  const site = (over: Record<string, unknown>) => ({
    name: null,
    street: null,
    postal_code: null,
    city: null,
    country: null,
    active: true,
    sequence: 10,
    ...over,
  });
  it('writes what changed on the matching address, creates new ones, leaves unknown ones alone', () => {
    expect(
      addressCommands(existing, [
        site({ name: 'HQ', street: 'Rue 2', postal_code: '9000', city: 'Gent' }),
        site({ street: 'Kaai 3', city: 'Antwerpen' }), // no country known: never clears Tryton's
        site({ name: 'Depot', street: 'Dok 9', city: 'Gent' }),
      ]),
    ).toEqual([
      ['write', [1], { street: 'Rue 2' }],
      ['create', [site({ name: 'Depot', street: 'Dok 9', city: 'Gent' })]],
    ]);
  });
  it('adds missing contact mechanisms only', () => {
    expect(
      mechanismCommands(
        [{ id: 1, party: 9, type: 'email', value: 'a@x.be' }],
        [
          { type: 'email', value: 'a@x.be', name: null },
          { type: 'phone', value: '+32 1', name: 'Bob' },
        ],
      ),
    ).toEqual([['create', [{ type: 'phone', value: '+32 1', name: 'Bob' }]]]);
  });
});

describe('isolateFailures', () => {
  it('pins data refusals on their items by halving, and rethrows failures of the whole call', async () => {
    const calls: number[][] = [];
    const call = async (items: readonly number[]) => {
      calls.push([...items]);
      if (items.includes(3)) throw new ConnectorError('validation', 'item 3 refused');
      return items.map((i) => i * 10);
    };
    const results = await isolateFailures([1, 2, 3, 4], call);
    expect(results.map((r) => (r.ok ? r.value : 'x'))).toEqual([10, 20, 'x', 40]);
    expect(calls[0]).toEqual([1, 2, 3, 4]);
    await expect(
      isolateFailures([1, 2], async () => {
        throw new ConnectorError('transient', 'down');
      }),
    ).rejects.toMatchObject({ errorClass: 'transient' });
  });
});

describe('warning policy', () => {
  it('acknowledges all, none, or the warnings of the listed methods', () => {
    const config = (acknowledgeWarnings: unknown) =>
      trytonConfigSchema.parse({
        url: 'http://x',
        database: 'd',
        login: 'l',
        password: 'p',
        acknowledgeWarnings,
      });
    const warning = { name: 'x.done', message: '', method: 'model.stock.move.do' };
    expect(warningPolicy(config(true))).toBe(true);
    expect(warningPolicy(config(false))).toBe(false);
    const policy = warningPolicy(config(['stock.move.do']));
    expect(typeof policy === 'function' && policy(warning)).toBe(true);
    expect(typeof policy === 'function' && policy({ ...warning, method: 'model.account.invoice.post' })).toBe(
      false,
    );
  });
});

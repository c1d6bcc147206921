import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { compileMapping } from './compile-mapping.js';
import type { CompiledMapping, MapResult } from './compile-mapping.js';
import type { LookupTables } from './mapping-spec.js';

const lookups: LookupTables = {
  costCenterByRegion: { north: 'CC-100', south: 'CC-200' },
  rates: { 'EUR/USD': '1.0850', 'EUR/CHF': 0.94 },
};

function compile(fields: Record<string, unknown>, tables: LookupTables = lookups): CompiledMapping {
  const result = compileMapping({ fields }, tables);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.mapping;
}

function issuesOf(fields: Record<string, unknown>, tables: LookupTables = lookups): string[] {
  const result = compileMapping({ fields }, tables);
  if (result.ok) throw new Error('expected compile issues');
  return result.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const value = (r: MapResult): Record<string, unknown> => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('compileMapping: load-time validation', () => {
  it('names the field and the transform argument of every error', () => {
    const issues = issuesOf({
      cost_center: { from: 'site.region', owner: 'erp', transform: [{ lookup: { table: 'regions' } }] },
      status: {
        from: 'state',
        owner: 'fieldsync',
        transform: [{ valueMap: { map: { a: 'A' }, onMissing: 'default' } }],
      },
      total: {
        from: 'amount',
        owner: 'erp',
        transform: [{ currency: { from: 'EUR', to: 'GBP', table: 'rates' } }],
      },
    });
    expect(issues).toEqual([
      'fields.status.transform.0.valueMap.default: onMissing "default" needs a default value',
    ]);
    // Schema errors are reported first; cross-references are checked once the shape is right.
    expect(
      issuesOf({
        cost_center: { from: 'site.region', owner: 'erp', transform: [{ lookup: { table: 'regions' } }] },
        total: {
          from: 'amount',
          owner: 'erp',
          transform: [{ currency: { from: 'EUR', to: 'GBP', table: 'rates' } }],
        },
      }),
    ).toEqual([
      'fields.cost_center.transform.0.lookup.table: unknown lookup table "regions"; declared: costCenterByRegion, rates',
      'fields.total.transform.0.currency.table: table "rates" has no positive rate "EUR/GBP"',
    ]);
  });

  it('rejects unknown transforms, bad ownership and fields without a source', () => {
    expect(
      issuesOf({
        a: { from: 'x', owner: 'erp', transform: ['titlecase'] },
        b: { from: 'x', owner: 'shared' },
        c: { from: 'x', owner: 'erp', rule: 'latest-wins' },
        d: { owner: 'erp', transform: ['trim'] },
        'e.__proto__': { from: 'x', owner: 'erp' },
        f: { from: 'x', owner: 'erp', transform: [{ unit: { from: 'h', to: 'min', factor: '-1' } }] },
        g: { from: 'x', owner: 'erp', transform: [{ currency: { from: 'EUR', to: 'USD' } }] },
      }),
    ).toEqual([
      'fields.a.transform.0.titlecase: unknown transform "titlecase"; known: valueMap, unit, currency, lookup, default, trim, upper, lower, decimal, date, concat, constant',
      'fields.b.rule: a shared field needs a rule: latest-wins, erp-wins-on-conflict, fieldsync-wins-on-conflict, manual',
      'fields.c.rule: only shared fields take a rule (owner is erp)',
      'fields.d.from: needs a source path, or a first transform of constant, concat or default',
      'fields.f.transform.0.unit.factor: must be a positive decimal such as "1.5"',
      'fields.g.transform.0.currency.rate: give exactly one of rate or table',
      'fields.e.__proto__: target field names are identifiers, with dots for nesting',
    ]);
  });
});

describe('compileMapping: mapping records', () => {
  it('applies each transform of the closed set', () => {
    const mapping = compile({
      name: { from: 'name', owner: 'erp', transform: ['trim', 'upper'], required: true },
      code: { from: 'code', owner: 'erp', transform: ['lower'] },
      state: {
        from: 'status',
        owner: 'fieldsync',
        transform: [{ valueMap: { map: { done: 'closed', open: 'draft' } } }],
      },
      cost_center: {
        from: 'site.region',
        owner: 'erp',
        transform: [{ lookup: { table: 'costCenterByRegion' } }],
      },
      cc_by_key: {
        owner: 'erp',
        transform: [
          { default: { value: null } },
          { lookup: { table: 'costCenterByRegion', key: 'site.region' } },
        ],
      },
      minutes: {
        from: 'hours',
        owner: 'fieldsync',
        transform: [{ unit: { from: 'h', to: 'min', factor: 60 } }],
      },
      usd: {
        from: 'price',
        owner: 'erp',
        transform: [{ currency: { from: 'EUR', to: 'USD', table: 'rates' } }],
      },
      chf: {
        from: 'money',
        owner: 'erp',
        transform: [{ currency: { from: 'EUR', to: 'CHF', rate: '0.94' } }],
      },
      qty: { from: 'qty', owner: 'fieldsync', transform: [{ decimal: { scale: 2 } }] },
      day: { from: 'at', owner: 'fieldsync', transform: [{ date: {} }] },
      stamp: { from: 'day', owner: 'fieldsync', transform: [{ date: { output: 'datetime' } }] },
      label: {
        owner: 'fieldsync',
        transform: [{ concat: { parts: ['first', { value: '/' }, 'last'], sep: ' ' } }],
      },
      origin: { owner: 'fieldsync', transform: [{ constant: { value: 'fieldsync' } }] },
      country: {
        from: 'country',
        owner: 'shared',
        rule: 'latest-wins',
        transform: [{ default: { value: 'AT' } }],
      },
      'address.city': { from: 'site.city', owner: 'erp' },
      first_line: { from: 'lines.0.sku', owner: 'fieldsync' },
    });
    const out = value(
      mapping.map({
        name: '  acme gmbh ',
        code: 'ABC',
        status: 'done',
        site: { region: 'north', city: 'Graz' },
        hours: 1.5,
        price: '10.00',
        money: { amount: '100', currency: 'EUR' },
        qty: '0.125',
        at: '2024-03-01T23:30:00-02:00',
        day: '2024-03-01',
        first: 'Jane',
        last: 'Doe',
        country: '',
        lines: [{ sku: 'SKU-1' }],
      }),
    );
    expect(out).toEqual({
      name: 'ACME GMBH',
      code: 'abc',
      state: 'closed',
      cost_center: 'CC-100',
      cc_by_key: 'CC-100',
      minutes: '90',
      usd: '10.85',
      chf: { amount: '94.00', currency: 'CHF' },
      qty: '0.13',
      day: '2024-03-02',
      stamp: '2024-03-01T00:00:00.000Z',
      label: 'Jane / Doe',
      origin: 'fieldsync',
      country: 'AT',
      address: { city: 'Graz' },
      first_line: 'SKU-1',
    });
  });

  it('reports every failing field with the transform that failed, and missing required values', () => {
    const mapping = compile({
      cost_center: {
        from: 'region',
        owner: 'erp',
        transform: ['trim', { lookup: { table: 'costCenterByRegion' } }],
      },
      minutes: {
        from: 'hours',
        owner: 'fieldsync',
        transform: [{ unit: { from: 'h', to: 'min', factor: 60 } }],
      },
      name: { from: 'name', owner: 'erp', required: true },
      day: { from: 'day', owner: 'erp', transform: ['date'] },
      price: { from: 'price', owner: 'erp', transform: [{ currency: { from: 'EUR', to: 'USD', rate: 2 } }] },
    });
    const result = mapping.map({
      region: 'west',
      hours: 'lots',
      name: '',
      day: '2024-02-30',
      price: { amount: '1', currency: 'GBP' },
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: 'cost_center',
          transform: 'transform[1].lookup',
          path: 'cost_center.transform[1].lookup',
          message: 'no entry for "west" in lookup table "costCenterByRegion" (known: north, south)',
        },
        {
          field: 'minutes',
          transform: 'transform[0].unit',
          path: 'minutes.transform[0].unit',
          message: 'not a number: "lots"',
        },
        { field: 'name', path: 'name', message: 'required value is missing (from name)' },
        {
          field: 'day',
          transform: 'transform[0].date',
          path: 'day.transform[0].date',
          message: 'not an ISO-8601 date or date-time: "2024-02-30"',
        },
        {
          field: 'price',
          transform: 'transform[0].currency',
          path: 'price.transform[0].currency',
          message: 'amount is in GBP, expected EUR',
        },
      ],
    });
  });

  it('valueMap and lookup honour onMissing; absent values stay absent and null is kept', () => {
    const mapping = compile({
      a: { from: 'a', owner: 'erp', transform: [{ valueMap: { map: { x: 1 }, onMissing: 'passthrough' } }] },
      b: {
        from: 'b',
        owner: 'erp',
        transform: [{ valueMap: { map: { x: 1 }, onMissing: 'default', default: 0 } }],
      },
      c: {
        from: 'c',
        owner: 'erp',
        transform: [{ lookup: { table: 'costCenterByRegion', onMissing: 'default', default: 'CC-000' } }],
      },
      d: { from: 'd', owner: 'erp' },
      e: { from: 'e', owner: 'erp' },
    });
    expect(value(mapping.map({ a: 'y', b: 'y', c: 'east', e: null }))).toEqual({
      a: 'y',
      b: 0,
      c: 'CC-000',
      e: null,
    });
  });

  it('never reads prototype members through a source path', () => {
    const mapping = compile({
      a: { from: 'constructor', owner: 'erp' },
      b: { from: 'x.__proto__', owner: 'erp' },
    });
    expect(value(mapping.map({ x: {} }))).toEqual({});
  });

  it('unit conversion is decimal-exact where binary floats are not (property)', () => {
    const mapping = compile({
      out: { from: 'v', owner: 'erp', transform: [{ unit: { from: 'l', to: 'ml', factor: '0.001' } }] },
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 999 }),
        (whole, frac) => {
          const input = `${whole}.${String(frac).padStart(3, '0')}`;
          const out = value(mapping.map({ v: input })).out as string;
          expect(new Decimal(out).div('0.001').eq(new Decimal(input))).toBe(true);
        },
      ),
    );
    expect(value(mapping.map({ v: '0.3' })).out).toBe('0.0003');
  });

  it('exposes ownership per target field', () => {
    const mapping = compile({
      a: { from: 'a', owner: 'erp' },
      b: { from: 'b', owner: 'shared', rule: 'manual' },
    });
    expect(mapping.ownership).toEqual({ a: { owner: 'erp' }, b: { owner: 'shared', rule: 'manual' } });
  });
});

describe('event metadata paths', () => {
  it('reads $event.* fields the dispatcher adds next to the event data', () => {
    const compiled = compileMapping({
      fields: {
        eventId: { from: '$event.id', owner: 'fieldsync', required: true },
        at: { from: '$event.time', owner: 'fieldsync' },
        name: { from: 'customer.name', owner: 'erp' },
      },
    });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const result = compiled.mapping.map({
      customer: { name: 'A' },
      $event: { id: 'e-1', time: '2026-01-01T00:00:00.000Z' },
    });
    expect(result).toEqual({
      ok: true,
      value: { eventId: 'e-1', at: '2026-01-01T00:00:00.000Z', name: 'A' },
    });
    expect(compileMapping({ fields: { x: { from: '$other.id', owner: 'erp' } } }).ok).toBe(false);
  });
});

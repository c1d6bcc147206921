import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeTrytonValue,
  reviveTrytonValue,
  trytonDate,
  trytonDateTime,
  trytonDecimal,
  trytonTime,
  trytonTimeDelta,
} from './typed-values.js';

const roundTrip = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(encodeTrytonValue(value)), reviveTrytonValue);

describe('encodeTrytonValue', () => {
  it('encodes explicit wrappers as Tryton typed objects', () => {
    expect(encodeTrytonValue(trytonDecimal('49.90'))).toEqual({ __class__: 'Decimal', decimal: '49.90' });
    expect(encodeTrytonValue(trytonDate('2026-02-28'))).toEqual({
      __class__: 'date',
      year: 2026,
      month: 2,
      day: 28,
    });
    expect(encodeTrytonValue(trytonTimeDelta(5400))).toEqual({ __class__: 'timedelta', seconds: 5400 });
    expect(encodeTrytonValue(trytonTime('08:30'))).toEqual({
      __class__: 'time',
      hour: 8,
      minute: 30,
      second: 0,
      microsecond: 0,
    });
  });

  it('encodes JS Dates as UTC datetimes and decimal.js values as Decimals', () => {
    expect(encodeTrytonValue(new Date('2026-03-01T10:20:30.456Z'))).toEqual({
      __class__: 'datetime',
      year: 2026,
      month: 3,
      day: 1,
      hour: 10,
      minute: 20,
      second: 30,
      microsecond: 456000,
    });
    expect(encodeTrytonValue(new Decimal('0.10'))).toEqual({ __class__: 'Decimal', decimal: '0.1' });
  });

  it('leaves plain strings and numbers alone, recursing through arrays and objects', () => {
    expect(encodeTrytonValue(['2026-01-01', 3, { a: trytonDecimal('1.5'), b: undefined }])).toEqual([
      '2026-01-01',
      3,
      { a: { __class__: 'Decimal', decimal: '1.5' } },
    ]);
  });

  it('converts offsets to naive UTC and keeps microseconds', () => {
    expect(trytonDateTime('2026-01-01T00:30:00.123456+02:00').parts).toEqual({
      year: 2025,
      month: 12,
      day: 31,
      hour: 22,
      minute: 30,
      second: 0,
      microsecond: 123456,
    });
  });

  it('rejects what Tryton would misread', () => {
    expect(() => trytonDecimal('1e5')).toThrow(RangeError);
    expect(() => trytonDecimal(49.9 as unknown as string)).toThrow(RangeError);
    expect(() => trytonDate('26/01/2026')).toThrow(RangeError);
    expect(() => encodeTrytonValue(Number.NaN)).toThrow(RangeError);
  });
});

describe('reviveTrytonValue', () => {
  it('turns typed objects from Tryton into plain values', () => {
    const text = JSON.stringify({
      price: { __class__: 'Decimal', decimal: '49.90' },
      day: { __class__: 'date', year: 2026, month: 1, day: 5 },
      at: {
        __class__: 'datetime',
        year: 2026,
        month: 1,
        day: 5,
        hour: 7,
        minute: 8,
        second: 9,
        microsecond: 42,
      },
      duration: { __class__: 'timedelta', seconds: 5400.0 },
      other: { __class__: 'unknown', x: 1 },
    });
    expect(JSON.parse(text, reviveTrytonValue)).toEqual({
      price: '49.90',
      day: '2026-01-05',
      at: '2026-01-05T07:08:09.000042Z',
      duration: 5400,
      other: { __class__: 'unknown', x: 1 },
    });
  });

  it('round-trips decimal strings exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 8 }),
        (n, scale) => {
          const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
          const text = `${n < 0n ? '-' : ''}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
          expect(roundTrip(trytonDecimal(text))).toBe(text);
        },
      ),
    );
  });

  it('round-trips datetimes to the microsecond (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (date, micros) => {
          const iso = date.toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
          expect(roundTrip(trytonDateTime(iso))).toBe(iso);
        },
      ),
    );
  });
});

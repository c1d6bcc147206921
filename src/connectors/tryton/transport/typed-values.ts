import { Decimal } from 'decimal.js';

/**
 * Tryton's JSON-RPC marks non-JSON Python values with `__class__`. On the way out, a value is only sent
 * as a typed value when the caller says so (a wrapper below, a `Date`, a decimal.js `Decimal` or a
 * `Uint8Array`), because a string such as '2026-01-31' may just as well be the text of a Char field.
 * On the way back, typed values become plain JSON-friendly values: Decimal → decimal string exactly as
 * Tryton printed it, date → 'YYYY-MM-DD', datetime → 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (Tryton stores naive
 * UTC; six fraction digits so cursors compare as strings), time → 'HH:MM:SS.ffffff', timedelta → seconds.
 */

const decimalPattern = /^-?\d+(\.\d+)?$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const timePattern = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

/** Base class so the encoder can recognise every explicit wrapper with one `instanceof`. */
abstract class TrytonTyped {
  abstract toJSON(): Record<string, unknown>;
}

export class TrytonDecimal extends TrytonTyped {
  constructor(readonly value: string) {
    super();
  }
  toJSON(): Record<string, unknown> {
    return { __class__: 'Decimal', decimal: this.value };
  }
}

export class TrytonDate extends TrytonTyped {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    super();
  }
  toJSON(): Record<string, unknown> {
    return { __class__: 'date', year: this.year, month: this.month, day: this.day };
  }
}

export class TrytonDateTime extends TrytonTyped {
  constructor(
    readonly parts: {
      year: number;
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
      microsecond: number;
    },
  ) {
    super();
  }
  toJSON(): Record<string, unknown> {
    return { __class__: 'datetime', ...this.parts };
  }
}

export class TrytonTime extends TrytonTyped {
  constructor(readonly parts: { hour: number; minute: number; second: number; microsecond: number }) {
    super();
  }
  toJSON(): Record<string, unknown> {
    return { __class__: 'time', ...this.parts };
  }
}

export class TrytonTimeDelta extends TrytonTyped {
  constructor(readonly seconds: number) {
    super();
  }
  toJSON(): Record<string, unknown> {
    return { __class__: 'timedelta', seconds: this.seconds };
  }
}

/** A Numeric value. Accepts a decimal string or a decimal.js Decimal; never a binary float. */
export function trytonDecimal(value: string | Decimal): TrytonDecimal {
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new RangeError(`trytonDecimal: not a finite decimal: ${value.toString()}`);
    return new TrytonDecimal(value.toFixed());
  }
  if (typeof value !== 'string' || !decimalPattern.test(value)) {
    throw new RangeError(
      `trytonDecimal: expected a decimal string such as "49.90", got ${JSON.stringify(value)}`,
    );
  }
  return new TrytonDecimal(value);
}

/** A Date value from 'YYYY-MM-DD' (or the UTC calendar day of a JS Date). */
export function trytonDate(value: string | Date): TrytonDate {
  if (value instanceof Date) {
    return new TrytonDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  const match = datePattern.exec(value);
  if (!match) throw new RangeError(`trytonDate: expected YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return new TrytonDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * A DateTime value. Tryton datetimes are naive UTC: an ISO string with an offset is converted to UTC,
 * one without an offset is taken as UTC already. Microseconds are kept.
 */
export function trytonDateTime(value: string | Date): TrytonDateTime {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('trytonDateTime: invalid Date');
    return new TrytonDateTime({
      year: value.getUTCFullYear(),
      month: value.getUTCMonth() + 1,
      day: value.getUTCDate(),
      hour: value.getUTCHours(),
      minute: value.getUTCMinutes(),
      second: value.getUTCSeconds(),
      microsecond: value.getUTCMilliseconds() * 1000,
    });
  }
  const m = dateTimePattern.exec(value);
  if (!m) throw new RangeError(`trytonDateTime: expected an ISO date-time, got ${JSON.stringify(value)}`);
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  const microsecond = Number(fraction);
  const offset = m[8];
  if (offset === undefined || offset === 'Z' || /^[+-]00:?00$/.test(offset)) {
    return new TrytonDateTime({
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? '0'),
      microsecond,
    });
  }
  // Shift by the offset with Date arithmetic (whole milliseconds), then restore the sub-millisecond part.
  const wholeSecond = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${offset}`;
  const utc = new Date(wholeSecond);
  if (Number.isNaN(utc.getTime()))
    throw new RangeError(`trytonDateTime: invalid date-time ${JSON.stringify(value)}`);
  const shifted = trytonDateTime(utc);
  return new TrytonDateTime({ ...shifted.parts, microsecond });
}

export function trytonTime(value: string): TrytonTime {
  const m = timePattern.exec(value);
  if (!m) throw new RangeError(`trytonTime: expected HH:MM[:SS[.ffffff]], got ${JSON.stringify(value)}`);
  return new TrytonTime({
    hour: Number(m[1]),
    minute: Number(m[2]),
    second: Number(m[3] ?? '0'),
    microsecond: Number((m[4] ?? '').padEnd(6, '0')),
  });
}

/** A TimeDelta value (e.g. a timesheet duration) from seconds. */
export function trytonTimeDelta(seconds: number): TrytonTimeDelta {
  if (!Number.isFinite(seconds)) throw new RangeError(`trytonTimeDelta: not a finite number: ${seconds}`);
  return new TrytonTimeDelta(seconds);
}

/** Recursively turns wrappers, JS Dates, decimal.js values and bytes into Tryton's typed JSON objects. */
export function encodeTrytonValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof TrytonTyped) return value.toJSON();
  if (value instanceof Date) return trytonDateTime(value).toJSON();
  if (Decimal.isDecimal(value)) return trytonDecimal(value).toJSON();
  if (value instanceof Uint8Array) {
    return { __class__: 'bytes', base64: Buffer.from(value).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encodeTrytonValue);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = encodeTrytonValue(inner);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`Tryton JSON-RPC cannot carry ${value}`);
  }
  return value;
}

const pad = (n: unknown, width = 2): string => String(n).padStart(width, '0');

/** `JSON.parse` reviver turning Tryton typed objects into plain values (see the module comment). */
export function reviveTrytonValue(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  switch (v.__class__) {
    case 'Decimal':
      return String(v.decimal);
    case 'date':
      return `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}`;
    case 'datetime':
      return (
        `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}T${pad(v.hour)}:${pad(v.minute)}:${pad(v.second)}` +
        `.${pad(v.microsecond ?? 0, 6)}Z`
      );
    case 'time':
      return `${pad(v.hour)}:${pad(v.minute)}:${pad(v.second)}.${pad(v.microsecond ?? 0, 6)}`;
    case 'timedelta':
      return Number(v.seconds);
    case 'bytes':
      return Buffer.from(String(v.base64), 'base64');
    default:
      return value;
  }
}

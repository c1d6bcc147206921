import { ConnectorError } from '../../sdk/connector-error.js';
import { trytonDateTime } from '../transport/index.js';
import type { TrytonDateTime } from '../transport/index.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Tryton stamps (`create_date`, `write_date`) come back as 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (naive UTC, six
 * fraction digits), which compare correctly as strings. Cursors may carry other ISO spellings (withOverlap
 * writes milliseconds), so every cursor is brought to this form before any comparison.
 */
export function canonicalStamp(value: string): string {
  const parts = parseStamp(value).parts;
  return (
    `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}:` +
    `${pad(parts.second)}.${pad(parts.microsecond, 6)}Z`
  );
}

/** The cursor's timestamp as a Tryton datetime; anything unreadable is `cursor_invalid`. */
export function parseStamp(value: string): TrytonDateTime {
  let parsed: TrytonDateTime;
  try {
    parsed = trytonDateTime(value);
  } catch (error) {
    throw new ConnectorError(
      'cursor_invalid',
      `cursor modifiedAt is not an ISO date-time: ${JSON.stringify(value)}`,
      {
        cause: error,
      },
    );
  }
  const { year, month, day, hour, minute, second } = parsed.parts;
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    Number.isNaN(check.getTime()) ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new ConnectorError(
      'cursor_invalid',
      `cursor modifiedAt is not a valid date-time: ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

/** `create_date`/`write_date` of a read row → the record's modifiedAt (write_date is NULL until the first update). */
export function stampOf(row: Record<string, unknown>): string {
  const value = row.write_date ?? row.create_date;
  return typeof value === 'string' ? value : '1970-01-01T00:00:00.000000Z';
}

/** 'YYYY-MM-DD' of an ISO date or date-time (the calendar date as written, no time-zone shift). */
export function dateOf(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (!match?.[1]) throw new RangeError(`not an ISO date: ${JSON.stringify(value)}`);
  return match[1];
}

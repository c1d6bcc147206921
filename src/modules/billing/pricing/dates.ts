import { errors } from '../../../shared/errors/index.js';
import type { Path } from './decimal.js';

/**
 * Calendar dates as YYYY-MM-DD strings, which compare correctly as strings. No clock is read: every date
 * comes from the input, which keeps pricing deterministic.
 */

const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimeRe = /^(\d{4}-\d{2}-\d{2})T/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function parseDate(value: string, path: Path): CalendarDate {
  const match = typeof value === 'string' ? dateRe.exec(value) : null;
  const date = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  if (
    !date ||
    date.year < 1900 ||
    date.month < 1 ||
    date.month > 12 ||
    date.day < 1 ||
    date.day > daysInMonth(date.year, date.month)
  ) {
    const message = 'expected a calendar date YYYY-MM-DD (year 1900 or later)';
    throw errors.validation(`invalid pricing input at ${path.join('.')}: ${message}`, [{ path, message }]);
  }
  return date;
}

/**
 * The date written in completedAt, i.e. the local calendar day at the offset the client sent; a job done
 * at 23:30 local time on 31 March belongs to March even if that is already April in UTC.
 */
export function documentDateOf(completedAt: string): string {
  const match = typeof completedAt === 'string' ? dateTimeRe.exec(completedAt) : null;
  const date = match?.[1];
  if (!date) {
    const path = ['workOrder', 'completedAt'];
    const message = 'expected an ISO 8601 date-time';
    throw errors.validation(`invalid pricing input at workOrder.completedAt: ${message}`, [
      { path, message },
    ]);
  }
  parseDate(date, ['workOrder', 'completedAt']);
  return date;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function formatDate(date: CalendarDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function addDays(value: string, days: number): string {
  const d = parseDate(value, ['date']);
  const shifted = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return formatDate({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  });
}

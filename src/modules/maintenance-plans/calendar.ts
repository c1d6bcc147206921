/** Date arithmetic on 'YYYY-MM-DD' strings in UTC; no clock, no time zones. */

export const DAY_MS = 86_400_000;

export function toDate(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function toDateString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return toDateString(new Date(toDate(date).getTime() + days * DAY_MS));
}

/** Month arithmetic clamps to the month's last day: Jan 31 + 1 month = Feb 28 (or 29). */
export function addMonths(date: string, months: number): string {
  const d = toDate(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return toDateString(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay))));
}

export const intervalUnits = ['day', 'week', 'month'] as const;
export type IntervalUnit = (typeof intervalUnits)[number];

/**
 * The k-th due date (k = 0 is the start date). Each date is computed from the start, never from the
 * previous occurrence, so month clamping does not drift (Jan 31 → Feb 28 → Mar 31, not Mar 28).
 */
export function nthOccurrence(start: string, every: number, unit: IntervalUnit, k: number): string {
  if (unit === 'month') return addMonths(start, k * every);
  return addDays(start, k * every * (unit === 'week' ? 7 : 1));
}

export interface DueOccurrence {
  dueDate: string;
  /** Stable identity of the occurrence within the plan and asset. */
  key: string;
}

/** Bounds one generation run per plan and asset, whatever the interval and horizon. */
export const MAX_OCCURRENCES_PER_RUN = 400;

/**
 * Calendar occurrences due up to `until` (inclusive) and within [start, end]. Past-due occurrences
 * (before `asOf`) collapse to the latest one: a missed monthly service is done once, not six times.
 */
export function calendarOccurrences(options: {
  start: string;
  end: string | null;
  every: number;
  unit: IntervalUnit;
  asOf: string;
  until: string;
}): DueOccurrence[] {
  const last = options.end !== null && options.end < options.until ? options.end : options.until;
  const due: DueOccurrence[] = [];
  let latestPast: DueOccurrence | null = null;
  for (let k = 0; ; k += 1) {
    const dueDate = nthOccurrence(options.start, options.every, options.unit, k);
    if (dueDate > last) break;
    const occurrence = { dueDate, key: `cal:${dueDate}` };
    if (dueDate < options.asOf) latestPast = occurrence;
    else due.push(occurrence);
    if (due.length >= MAX_OCCURRENCES_PER_RUN) break;
    // A plan started decades ago must not loop through every past date forever.
    if (k > 100_000) break;
  }
  return latestPast ? [latestPast, ...due] : due;
}

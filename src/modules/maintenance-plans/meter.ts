import { DAY_MS, MAX_OCCURRENCES_PER_RUN, toDate, toDateString } from './calendar.js';
import type { DueOccurrence } from './calendar.js';

export interface Reading {
  readingAt: string;
  /** Running hours in thousandths as shown by the meter. */
  valueMilli: number;
  meterReplaced: boolean;
}

export interface CumulativeReading {
  at: number;
  /** Cumulative running hours (thousandths) across meter replacements. */
  milli: number;
}

/**
 * A replaced meter restarts from zero, so the asset's cumulative hours are the old meter's last value
 * plus the new meter's value. Readings must be chronological (the assets module guarantees it).
 */
export function cumulative(readings: readonly Reading[]): CumulativeReading[] {
  let offset = 0;
  let previous: CumulativeReading | null = null;
  const out: CumulativeReading[] = [];
  for (const r of readings) {
    if (r.meterReplaced && previous) offset = previous.milli;
    const point = { at: Date.parse(r.readingAt), milli: offset + r.valueMilli };
    out.push(point);
    previous = point;
  }
  return out;
}

/** How far back the usage rate is averaged: recent use predicts the next months better than the first year. */
export const RATE_WINDOW_DAYS = 90;

/** Running hours per millisecond over the recent window, or null without two readings that show use. */
export function usageRate(points: readonly CumulativeReading[]): number | null {
  const last = points[points.length - 1];
  if (!last) return null;
  const windowStart = last.at - RATE_WINDOW_DAYS * DAY_MS;
  const reference = points.find((p) => p.at >= windowStart && p.at < last.at) ?? points[points.length - 2];
  if (!reference || reference.at >= last.at || last.milli <= reference.milli) return null;
  return (last.milli - reference.milli) / (last.at - reference.at);
}

/**
 * Meter occurrences: thresholds baseline + k·interval (k ≥ 1). A threshold already passed is due on the
 * day of the reading that crossed it (only the highest passed one is kept, as with missed calendar
 * dates); a future threshold is projected from the usage rate and kept when it falls on or before
 * `until`. Keys name the threshold in hours, so re-running never duplicates.
 */
export function meterOccurrences(options: {
  readings: readonly Reading[];
  intervalMilli: number;
  /** Null: the first reading on or after `start`. */
  baselineMilli: number | null;
  start: string;
  end: string | null;
  asOf: string;
  until: string;
}): DueOccurrence[] {
  const points = cumulative(options.readings);
  const startAt = toDate(options.start).getTime();
  const baseline = options.baselineMilli ?? points.find((p) => p.at >= startAt)?.milli ?? null;
  const last = points[points.length - 1];
  if (baseline === null || !last || options.intervalMilli <= 0) return [];
  const untilDate = options.end !== null && options.end < options.until ? options.end : options.until;
  const rate = usageRate(points);
  const key = (milli: number) => `meter:${milli / 1000}h`;
  const due: DueOccurrence[] = [];
  let passed: DueOccurrence | null = null;
  const passedK = Math.floor((last.milli - baseline) / options.intervalMilli);
  if (passedK >= 1) {
    const threshold = baseline + passedK * options.intervalMilli;
    const crossing = points.find((p) => p.milli >= threshold) ?? last;
    passed = { dueDate: toDateString(new Date(Math.max(crossing.at, startAt))), key: key(threshold) };
  }
  for (let k = Math.max(passedK, 0) + 1; rate !== null && due.length < MAX_OCCURRENCES_PER_RUN; k += 1) {
    const threshold = baseline + k * options.intervalMilli;
    const dueDate = toDateString(new Date(last.at + (threshold - last.milli) / rate));
    if (dueDate > untilDate) break;
    due.push({ dueDate: dueDate < options.asOf ? options.asOf : dueDate, key: key(threshold) });
  }
  if (passed && (options.end === null || passed.dueDate <= options.end)) return [passed, ...due];
  return due;
}

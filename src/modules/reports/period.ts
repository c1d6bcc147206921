import { errors } from '../../shared/errors/index.js';
import { MAX_REPORT_DAYS } from './schemas.js';

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

/** 400 when the period is backwards or longer than a report may scan. */
export function assertPeriod(from: string, to: string): void {
  if (to < from) {
    throw errors.validation('to must not be before from', [
      { path: ['query', 'to'], message: `must not be before ${from}` },
    ]);
  }
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_REPORT_DAYS) {
    throw errors.validation(`a report spans at most ${MAX_REPORT_DAYS} days`, [
      { path: ['query', 'to'], message: `at most ${MAX_REPORT_DAYS} days after from` },
    ]);
  }
}

/** Days from..to (inclusive) whose ISO weekday (1 = Monday … 7 = Sunday) is listed. */
export function countWorkingDays(from: string, to: string, weekdays: readonly number[]): number {
  let count = 0;
  for (let d = dayNumber(from); d <= dayNumber(to); d += 1) {
    const iso = ((new Date(d * DAY).getUTCDay() + 6) % 7) + 1;
    if (weekdays.includes(iso)) count += 1;
  }
  return count;
}

import { Decimal } from 'decimal.js';
import type { Contract } from '../contracts/index.js';
import { fromMinorUnits, toMinorUnits } from '../../shared/money.js';
import type { CapPeriodRange } from './pricing/index.js';
import { capPeriodFor } from './pricing/index.js';

/**
 * Pure rules of recurring contract fees. A fee is charged per calendar period of its kind (monthly:
 * 2026-03, quarterly: 2026-Q1, yearly: 2026). When the contract version carrying the fee is in force for
 * only part of a period (it starts or ends mid-period, or the contract is terminated mid-period), the fee
 * is prorated by days: amount × days in force ÷ days in the period, rounded half away from zero to the
 * currency's minor unit. Versions of one contract that share a period become lines of one document.
 */

export type FeePeriodKind = 'monthly' | 'quarterly' | 'yearly';
const capPeriodOf = { monthly: 'month', quarterly: 'quarter', yearly: 'year' } as const;

export function feePeriodContaining(kind: FeePeriodKind, date: string): CapPeriodRange {
  return capPeriodFor(capPeriodOf[kind], date, date);
}

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
export const daysInclusive = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;
const nextDay = (date: string) => new Date((dayNumber(date) + 1) * DAY).toISOString().slice(0, 10);

/** Every period of the kind that shares at least one day with from..to, in order. */
export function feePeriodsOverlapping(kind: FeePeriodKind, from: string, to: string): CapPeriodRange[] {
  const out: CapPeriodRange[] = [];
  let period = feePeriodContaining(kind, from);
  while (period.start <= to) {
    out.push(period);
    period = feePeriodContaining(kind, nextDay(period.end));
  }
  return out;
}

export interface FeeSegment {
  versionId: string;
  versionNo: number;
  kind: FeePeriodKind;
  /** The full fee of one period. */
  fee: { amount: string; currency: string };
  period: CapPeriodRange;
  /** First and last day of the period the version was in force (inclusive). */
  from: string;
  to: string;
  days: number;
  periodDays: number;
  prorated: boolean;
  /** fee × days ÷ periodDays, rounded to the minor unit. */
  amountMinor: number;
}

/** The last day the contract covers anything: its termination day, else open. */
function contractEnd(contract: Contract): string | null {
  return contract.status === 'terminated' ? contract.terminatedOn : null;
}

/** Fee segments of a contract for the periods overlapping from..to (drafts have none). */
export function feeSegments(contract: Contract, from: string, to: string): FeeSegment[] {
  if (contract.status === 'draft') return [];
  const end = contractEnd(contract);
  const segments: FeeSegment[] = [];
  for (const version of contract.versions) {
    const fee = version.recurringFee;
    if (!fee || new Decimal(fee.amount).isZero()) continue;
    const activeFrom = version.validFrom;
    const activeTo = [version.validTo, end].filter((d): d is string => d !== null).sort()[0] ?? null;
    if (activeTo !== null && activeTo < activeFrom) continue;
    const lo = from > activeFrom ? from : activeFrom;
    const hi = activeTo !== null && activeTo < to ? activeTo : to;
    if (hi < lo) continue;
    for (const period of feePeriodsOverlapping(fee.period, lo, hi)) {
      const segFrom = period.start > activeFrom ? period.start : activeFrom;
      const segTo = activeTo !== null && activeTo < period.end ? activeTo : period.end;
      const days = daysInclusive(segFrom, segTo);
      const periodDays = daysInclusive(period.start, period.end);
      const full = new Decimal(fee.amount);
      const amount = days === periodDays ? full : full.mul(days).div(periodDays);
      segments.push({
        versionId: version.id,
        versionNo: version.versionNo,
        kind: fee.period,
        fee: {
          amount: fromMinorUnits(toMinorUnits(full, fee.currency), fee.currency),
          currency: fee.currency,
        },
        period,
        from: segFrom,
        to: segTo,
        days,
        periodDays,
        prorated: days !== periodDays,
        amountMinor: toMinorUnits(amount, fee.currency),
      });
    }
  }
  return segments;
}

/** Segments grouped by period key: one document each, lines in version order. */
export function feeDocumentsOf(segments: FeeSegment[]): { period: CapPeriodRange; segments: FeeSegment[] }[] {
  const byKey = new Map<string, { period: CapPeriodRange; segments: FeeSegment[] }>();
  for (const segment of segments) {
    const entry = byKey.get(segment.period.key) ?? { period: segment.period, segments: [] };
    entry.segments.push(segment);
    byKey.set(segment.period.key, entry);
  }
  return [...byKey.values()]
    .map((d) => ({ ...d, segments: d.segments.sort((a, b) => a.versionNo - b.versionNo) }))
    .sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0));
}

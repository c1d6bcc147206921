import { errors } from '../../../shared/errors/index.js';
import { addDays, daysInMonth, formatDate, parseDate } from './dates.js';
import { parseMinorAmount, toMoney, ZERO } from './decimal.js';
import type { Dec } from './decimal.js';
import type { CapConsumption } from './document-schema.js';
import type { CapPeriod, CapUsage, ContractCap, ContractVersion, LineKind } from './input-schema.js';

/**
 * Caps limit how much a contract covers per period. The caller keeps the ledger (consumed so far, per cap
 * and period key); the engine decides which period the work order falls in, consumes line by line in
 * document order, and reports what this document consumed so the caller can book it.
 */

export interface CapPeriodRange {
  key: string;
  start: string;
  end: string;
}

/** The period containing `date`; contract years run from each anniversary of the contract start. */
export function capPeriodFor(period: CapPeriod, date: string, contractStart: string): CapPeriodRange {
  const d = parseDate(date, ['date']);
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (period) {
    case 'month':
      return {
        key: `${d.year}-${pad(d.month)}`,
        start: `${d.year}-${pad(d.month)}-01`,
        end: `${d.year}-${pad(d.month)}-${pad(daysInMonth(d.year, d.month))}`,
      };
    case 'quarter': {
      const q = Math.floor((d.month - 1) / 3) + 1;
      const last = q * 3;
      return {
        key: `${d.year}-Q${q}`,
        start: `${d.year}-${pad(last - 2)}-01`,
        end: `${d.year}-${pad(last)}-${pad(daysInMonth(d.year, last))}`,
      };
    }
    case 'year':
      return { key: String(d.year), start: `${d.year}-01-01`, end: `${d.year}-12-31` };
    case 'contract_year': {
      const s = parseDate(contractStart, ['contract', 'startDate']);
      // A 29 February start has its anniversary on 28 February in common years.
      const anniversary = (year: number) =>
        formatDate({ year, month: s.month, day: Math.min(s.day, daysInMonth(year, s.month)) });
      let year = anniversary(d.year) <= date ? d.year : d.year - 1;
      if (year < s.year) year = s.year;
      const start = anniversary(year);
      const end = addDays(anniversary(year + 1), -1);
      return { key: `${start}..${end}`, start, end };
    }
    case 'contract': {
      // The whole life of the contract is one period; it has no last day the engine could know.
      const start = formatDate(parseDate(contractStart, ['contract', 'startDate']));
      return { key: 'contract', start, end: CONTRACT_PERIOD_END };
    }
  }
}

/** periodEnd reported for `contract` caps, whose period is open-ended. */
export const CONTRACT_PERIOD_END = '9999-12-31';

export interface CapState {
  cap: ContractCap;
  range: CapPeriodRange;
  limit: Dec;
  before: Dec;
  used: Dec;
}

export function capRemaining(state: CapState): Dec {
  const left = state.limit.minus(state.before).minus(state.used);
  return left.isNegative() ? ZERO : left;
}

export interface CapGrant {
  granted: Dec;
  /** The cap that held coverage below what the terms asked for, if any, as it stood before this grant. */
  binding: { capId: string; periodKey: string; limit: Dec; usedBefore: Dec } | null;
}

export class CapLedger {
  private readonly states: CapState[];

  constructor(
    contract: ContractVersion | null,
    usage: CapUsage[] | undefined,
    date: string,
    currency: string,
  ) {
    const ledger = new Map<string, Dec>();
    (usage ?? []).forEach((entry, index) => {
      const key = JSON.stringify([entry.capId, entry.periodKey]);
      if (ledger.has(key)) {
        throw errors.validation(
          `cap usage for cap ${entry.capId} in period ${entry.periodKey} is given twice`,
          [{ path: ['capUsage', index], message: 'duplicate cap and period' }],
        );
      }
      if (entry.consumed.currency !== currency) {
        throw errors.unprocessable(
          `mixed currencies: usage of cap ${entry.capId} is in ${entry.consumed.currency}, the document is in ${currency}`,
          { capId: entry.capId, currencies: [entry.consumed.currency, currency] },
        );
      }
      ledger.set(
        key,
        parseMinorAmount(entry.consumed.amount, currency, ['capUsage', index, 'consumed', 'amount']),
      );
    });
    this.states = (contract?.caps ?? []).map((cap, index) => {
      if (cap.limit.currency !== currency) {
        throw errors.unprocessable(
          `mixed currencies: cap ${cap.id} of contract ${contract?.number} is in ${cap.limit.currency}, the document is in ${currency}`,
          { capId: cap.id, currencies: [cap.limit.currency, currency] },
        );
      }
      const range = capPeriodFor(cap.period, date, contract?.startDate ?? date);
      const limit = parseMinorAmount(cap.limit.amount, currency, [
        'contract',
        'caps',
        index,
        'limit',
        'amount',
      ]);
      // Usage for other periods is history the caller may keep in the same list; only this period counts.
      const before = ledger.get(JSON.stringify([cap.id, range.key])) ?? ZERO;
      return { cap, range, limit, before, used: ZERO };
    });
  }

  /** Grants at most `desired`, limited by every cap that applies to the line kind, and books it. */
  grant(kind: LineKind, desired: Dec): CapGrant {
    let granted = desired;
    let binding: CapGrant['binding'] = null;
    const applicable = this.states.filter((s) => s.cap.appliesTo.includes(kind));
    for (const state of applicable) {
      const left = capRemaining(state);
      if (left.lt(granted)) {
        granted = left;
        const usedBefore = state.before.plus(state.used);
        binding = { capId: state.cap.id, periodKey: state.range.key, limit: state.limit, usedBefore };
      }
    }
    for (const state of applicable) state.used = state.used.plus(granted);
    return { granted, binding };
  }

  consumption(currency: string): CapConsumption[] {
    return this.states.map((s) => ({
      capId: s.cap.id,
      description: s.cap.description ?? null,
      period: s.cap.period,
      periodKey: s.range.key,
      periodStart: s.range.start,
      periodEnd: s.range.end,
      limit: toMoney(s.limit, currency),
      consumedBefore: toMoney(s.before, currency),
      consumedByDocument: toMoney(s.used, currency),
      consumedAfter: toMoney(s.before.plus(s.used), currency),
      remaining: toMoney(capRemaining(s), currency),
      exhausted: capRemaining(s).isZero(),
    }));
  }
}

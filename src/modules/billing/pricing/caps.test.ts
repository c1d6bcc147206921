import { describe, expect, it } from 'vitest';
import { CapLedger, capPeriodFor } from './caps.js';
import { D } from './decimal.js';
import type { CapPeriod, ContractVersion } from './input-schema.js';
import { contractC1042 } from './testing/fixtures.js';

describe('capPeriodFor', () => {
  const cases: { period: CapPeriod; date: string; start?: string; key: string; from: string; to: string }[] =
    [
      { period: 'month', date: '2026-03-14', key: '2026-03', from: '2026-03-01', to: '2026-03-31' },
      { period: 'month', date: '2028-02-10', key: '2028-02', from: '2028-02-01', to: '2028-02-29' },
      { period: 'quarter', date: '2026-03-31', key: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
      { period: 'quarter', date: '2026-04-01', key: '2026-Q2', from: '2026-04-01', to: '2026-06-30' },
      { period: 'quarter', date: '2026-12-31', key: '2026-Q4', from: '2026-10-01', to: '2026-12-31' },
      { period: 'year', date: '2026-07-04', key: '2026', from: '2026-01-01', to: '2026-12-31' },
      {
        period: 'contract_year',
        date: '2026-03-14',
        start: '2025-07-01',
        key: '2025-07-01..2026-06-30',
        from: '2025-07-01',
        to: '2026-06-30',
      },
      {
        period: 'contract_year',
        date: '2026-07-01',
        start: '2025-07-01',
        key: '2026-07-01..2027-06-30',
        from: '2026-07-01',
        to: '2027-06-30',
      },
      {
        period: 'contract_year',
        date: '2025-02-28',
        start: '2024-02-29',
        key: '2025-02-28..2026-02-27',
        from: '2025-02-28',
        to: '2026-02-27',
      },
      {
        period: 'contract_year',
        date: '2025-02-27',
        start: '2024-02-29',
        key: '2024-02-29..2025-02-27',
        from: '2024-02-29',
        to: '2025-02-27',
      },
    ];
  it.each(cases)('$period containing $date → $key', (c) => {
    expect(capPeriodFor(c.period, c.date, c.start ?? '2020-01-01')).toEqual({
      key: c.key,
      start: c.from,
      end: c.to,
    });
  });
});

function contractWithCaps(): ContractVersion {
  return {
    ...contractC1042(),
    caps: [
      {
        id: 'all-month',
        period: 'month',
        limit: { amount: '100.00', currency: 'EUR' },
        appliesTo: ['labor', 'part', 'fee'],
      },
      { id: 'parts-year', period: 'year', limit: { amount: '500.00', currency: 'EUR' }, appliesTo: ['part'] },
    ],
  };
}

describe('CapLedger', () => {
  it('grants the smallest remaining of every applicable cap and books it on all of them', () => {
    const usage = [
      { capId: 'parts-year', periodKey: '2026', consumed: { amount: '470.00', currency: 'EUR' } },
      { capId: 'parts-year', periodKey: '2025', consumed: { amount: '500.00', currency: 'EUR' } },
    ];
    const ledger = new CapLedger(contractWithCaps(), usage, '2026-03-14', 'EUR');
    const first = ledger.grant('part', new D('20.00'));
    expect(first.granted.toFixed(2)).toBe('20.00');
    expect(first.binding).toBeNull();
    const second = ledger.grant('part', new D('20.00'));
    expect(second.granted.toFixed(2)).toBe('10.00');
    expect(second.binding?.capId).toBe('parts-year');
    expect(second.binding?.usedBefore.toFixed(2)).toBe('490.00');
    const labor = ledger.grant('labor', new D('80.00'));
    expect(labor.granted.toFixed(2)).toBe('70.00');
    expect(labor.binding?.capId).toBe('all-month');
    expect(
      ledger.consumption('EUR').map((c) => [c.capId, c.consumedByDocument.amount, c.remaining.amount]),
    ).toEqual([
      ['all-month', '100.00', '0.00'],
      ['parts-year', '30.00', '0.00'],
    ]);
  });

  it('treats usage above the limit as exhausted, never as a negative remainder', () => {
    const usage = [
      { capId: 'parts-year', periodKey: '2026', consumed: { amount: '600.00', currency: 'EUR' } },
    ];
    const ledger = new CapLedger(contractWithCaps(), usage, '2026-03-14', 'EUR');
    expect(ledger.grant('part', new D('5.00')).granted.toFixed(2)).toBe('0.00');
    const parts = ledger.consumption('EUR')[1];
    expect(parts?.remaining.amount).toBe('0.00');
    expect(parts?.exhausted).toBe(true);
    expect(parts?.consumedAfter.amount).toBe('600.00');
  });

  it('rejects duplicate usage rows, usage in another currency and limits finer than the currency', () => {
    const twice = [
      { capId: 'parts-year', periodKey: '2026', consumed: { amount: '1.00', currency: 'EUR' } },
      { capId: 'parts-year', periodKey: '2026', consumed: { amount: '2.00', currency: 'EUR' } },
    ];
    expect(() => new CapLedger(contractWithCaps(), twice, '2026-03-14', 'EUR')).toThrow(/given twice/);
    const usd = [{ capId: 'parts-year', periodKey: '2026', consumed: { amount: '1.00', currency: 'USD' } }];
    expect(() => new CapLedger(contractWithCaps(), usd, '2026-03-14', 'EUR')).toThrow(/mixed currencies/);
    const fine = contractWithCaps();
    fine.caps[0] = { ...fine.caps[0]!, limit: { amount: '100.005', currency: 'EUR' } };
    expect(() => new CapLedger(fine, [], '2026-03-14', 'EUR')).toThrow(/at most 2 decimals/);
  });
});

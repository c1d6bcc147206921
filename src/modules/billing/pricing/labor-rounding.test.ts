import { describe, expect, it } from 'vitest';
import { billLaborMinutes, groupLaborEntries, minutesToHours } from './labor-rounding.js';
import { workOrder } from './testing/fixtures.js';

describe('billLaborMinutes', () => {
  const cases: { worked: number; increment: number; minimum: number; rounded: number; billed: number }[] = [
    { worked: 52, increment: 15, minimum: 0, rounded: 60, billed: 60 },
    { worked: 60, increment: 15, minimum: 0, rounded: 60, billed: 60 },
    { worked: 61, increment: 15, minimum: 0, rounded: 75, billed: 75 },
    { worked: 1, increment: 15, minimum: 0, rounded: 15, billed: 15 },
    { worked: 10, increment: 15, minimum: 30, rounded: 15, billed: 30 },
    { worked: 31, increment: 15, minimum: 30, rounded: 45, billed: 45 },
    { worked: 0, increment: 15, minimum: 30, rounded: 0, billed: 0 },
    { worked: 50, increment: 0, minimum: 0, rounded: 50, billed: 50 },
    { worked: 50, increment: 1, minimum: 60, rounded: 50, billed: 60 },
    { worked: 7, increment: 6, minimum: 0, rounded: 12, billed: 12 },
  ];
  it.each(cases)('$worked min, per started $increment, minimum $minimum → $billed', (c) => {
    const result = billLaborMinutes(c.worked, {
      laborRoundingMinutes: c.increment,
      laborMinimumMinutes: c.minimum,
    });
    expect(result).toEqual({ worked: c.worked, rounded: c.rounded, billed: c.billed });
  });

  it('rejects fractional or negative policy minutes', () => {
    expect(() => billLaborMinutes(10, { laborRoundingMinutes: 7.5, laborMinimumMinutes: 0 })).toThrow(
      /policy\.laborRoundingMinutes/,
    );
    expect(() => billLaborMinutes(10, { laborRoundingMinutes: 15, laborMinimumMinutes: -1 })).toThrow(
      /policy\.laborMinimumMinutes/,
    );
  });
});

describe('minutesToHours', () => {
  it.each([
    [60, '1'],
    [15, '0.25'],
    [45, '0.75'],
    [20, '0.333'],
    [50, '0.833'],
    [10, '0.167'],
    [0, '0'],
  ])('%i minutes → %s h (3 decimals, half away from zero)', (minutes, hours) => {
    expect(minutesToHours(minutes).toFixed()).toBe(hours);
  });
});

describe('groupLaborEntries', () => {
  it('groups by labor type, asset and billable flag in order of first appearance', () => {
    const groups = groupLaborEntries(
      workOrder({
        assetId: 'ast-1',
        labor: [
          { technicianId: 't1', laborType: 'standard', minutes: 10, billable: true },
          { technicianId: 't2', laborType: 'specialist', minutes: 30, billable: true },
          { technicianId: 't2', laborType: 'standard', minutes: 10, billable: true },
          { technicianId: 't1', laborType: 'standard', minutes: 5, billable: false },
          { technicianId: 't3', laborType: 'standard', minutes: 20, billable: true, assetId: 'ast-2' },
          { technicianId: 't1', laborType: 'standard', minutes: 7, billable: true },
        ],
      }),
    );
    expect(groups).toEqual([
      { laborType: 'standard', assetId: 'ast-1', billable: true, technicianIds: ['t1', 't2'], minutes: 27 },
      { laborType: 'specialist', assetId: 'ast-1', billable: true, technicianIds: ['t2'], minutes: 30 },
      { laborType: 'standard', assetId: 'ast-1', billable: false, technicianIds: ['t1'], minutes: 5 },
      { laborType: 'standard', assetId: 'ast-2', billable: true, technicianIds: ['t3'], minutes: 20 },
    ]);
  });

  it('rejects minutes that are not whole and non-negative, naming the entry', () => {
    const wo = workOrder({
      labor: [{ technicianId: 't1', laborType: 'standard', minutes: -5, billable: true }],
    });
    expect(() => groupLaborEntries(wo)).toThrow(/workOrder\.labor\.0\.minutes/);
  });
});

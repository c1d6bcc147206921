import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMilli } from '../../src/modules/stock/milli-format.js';
import { milliToQuantity } from '../../src/shared/quantity.js';

describe('formatMilli (fast on-hand formatting)', () => {
  it('agrees with the shared milliToQuantity for every safe integer, number or string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
          fc.maxSafeInteger(),
          fc.maxSafeNat().map((n) => -n),
        ),
        (milli) => {
          expect(formatMilli(milli)).toBe(milliToQuantity(milli));
          expect(formatMilli(String(milli))).toBe(milliToQuantity(milli));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('handles the edges explicitly', () => {
    expect([0, 1, -1, 10, 100, 1000, -1500, 2050, 123456789].map(formatMilli)).toEqual([
      '0',
      '0.001',
      '-0.001',
      '0.01',
      '0.1',
      '1',
      '-1.5',
      '2.05',
      '123456.789',
    ]);
    expect(formatMilli('12345678901234567890')).toBe(milliToQuantity('12345678901234567890'));
  });
});

import { milliToQuantity } from '../../shared/quantity.js';

/**
 * `milliToQuantity` for the hot path of on-hand reads: integer arithmetic instead of a Decimal per row
 * (a third of the time of reading 500,000 pairs). Same output (test/modules/stock-milli.test.ts checks it
 * against the shared function); anything outside the safe-integer range falls back to it.
 */
export function formatMilli(value: number | string | bigint): string {
  const milli = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(milli)) return milliToQuantity(value);
  const abs = Math.abs(milli);
  const whole = Math.floor(abs / 1000);
  const frac = abs % 1000;
  const sign = milli < 0 ? '-' : '';
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

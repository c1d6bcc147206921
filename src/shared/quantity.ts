import { Decimal } from 'decimal.js';

/**
 * Quantities are decimals (0.5 L of oil is real). They travel as decimal strings in the API and are
 * stored as integers of thousandths ("milli-units") so both SQLite and PostgreSQL sum them exactly.
 */
export const QUANTITY_SCALE = 3;
const FACTOR = 10 ** QUANTITY_SCALE;
export const quantityPattern = /^-?\d{1,12}(\.\d{1,3})?$/;

export function quantityToMilli(value: string): number {
  if (!quantityPattern.test(value)) throw new RangeError(`not a quantity with at most 3 decimals: ${value}`);
  return new Decimal(value).mul(FACTOR).toNumber();
}

export function milliToQuantity(milli: number | bigint | string): string {
  return new Decimal(milli.toString()).div(FACTOR).toFixed();
}

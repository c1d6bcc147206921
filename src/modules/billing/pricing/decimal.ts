import { Decimal } from 'decimal.js';
import { errors } from '../../../shared/errors/index.js';
import { currencyExponent, currencyPattern } from '../../../shared/money.js';
import type { Money } from '../../../shared/money.js';

/**
 * A private Decimal constructor: 40 significant digits hold a 15-digit amount times a 12-digit quantity
 * without loss, and cloning keeps the engine independent of anyone changing the global Decimal config.
 */
export const D = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Dec = Decimal;

export type Path = (string | number)[];

export const ZERO = new D(0);
export const HUNDRED = new D(100);

const amountRe = /^\d{1,15}(\.\d{1,6})?$/;
const pctRe = /^\d{1,3}(\.\d{1,4})?$/;
const quantityRe = /^\d{1,12}(\.\d{1,3})?$/;

function invalid(path: Path, message: string): never {
  throw errors.validation(`invalid pricing input at ${path.join('.')}: ${message}`, [{ path, message }]);
}

/** A non-negative decimal string with at most 6 decimals (unit prices may be finer than the currency). */
export function parseAmount(value: string, path: Path): Dec {
  if (typeof value !== 'string' || !amountRe.test(value)) {
    invalid(path, 'expected a non-negative decimal string with at most 6 decimals');
  }
  return new D(value);
}

/** An amount that must already be whole minor units of its currency (cap limits, consumed amounts). */
export function parseMinorAmount(value: string, currency: string, path: Path): Dec {
  const amount = parseAmount(value, path);
  if (amount.decimalPlaces() > currencyExponent(currency)) {
    invalid(path, `expected at most ${currencyExponent(currency)} decimals for ${currency}`);
  }
  return amount;
}

/** A percentage between 0 and 100 with at most 4 decimals. */
export function parsePct(value: string | undefined, path: Path): Dec {
  if (value === undefined) return ZERO;
  if (typeof value !== 'string' || !pctRe.test(value)) {
    invalid(path, 'expected a percentage as a decimal string');
  }
  const pct = new D(value);
  if (pct.gt(HUNDRED)) invalid(path, 'a percentage cannot exceed 100');
  return pct;
}

/** A quantity with at most 3 decimals (the shared quantity scale); positive unless zero is allowed. */
export function parseQuantity(value: string, path: Path, allowZero = false): Dec {
  if (typeof value !== 'string' || !quantityRe.test(value)) {
    invalid(path, 'expected a non-negative decimal string with at most 3 decimals');
  }
  const quantity = new D(value);
  if (!allowZero && quantity.isZero()) invalid(path, 'must be greater than zero');
  return quantity;
}

export function parseCurrency(value: string, path: Path): string {
  if (typeof value !== 'string' || !currencyPattern.test(value)) invalid(path, 'expected an ISO 4217 code');
  return value;
}

export function parseMinutes(value: number, path: Path): number {
  if (!Number.isInteger(value) || value < 0 || value > 100_000) {
    invalid(path, 'expected whole minutes between 0 and 100000');
  }
  return value;
}

/** The one rounding rule: to the currency's minor unit, half away from zero. */
export function roundMinor(amount: Dec, currency: string): Dec {
  return amount.toDecimalPlaces(currencyExponent(currency), D.ROUND_HALF_UP);
}

export function pctOf(amount: Dec, pct: Dec): Dec {
  return amount.mul(pct).div(HUNDRED);
}

export function toMoney(amount: Dec, currency: string): Money {
  return { amount: amount.toFixed(currencyExponent(currency)), currency };
}

/** Unit prices keep their own precision (at least the currency's), so 0.0125 stays 0.0125. */
export function unitPriceMoney(amount: Dec, currency: string): Money {
  const places = Math.max(currencyExponent(currency), amount.decimalPlaces());
  return { amount: amount.toFixed(places), currency };
}

export function formatMoney(amount: Dec, currency: string): string {
  return `${amount.toFixed(currencyExponent(currency))} ${currency}`;
}

/** Decimal string without trailing zeros ("1.5", "100"): the form used for quantities and percentages. */
export function plain(value: Dec): string {
  return value.toFixed();
}

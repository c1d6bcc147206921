import { Decimal } from 'decimal.js';

/**
 * Money is decimal and always carries its currency. Amounts travel as decimal strings ("49.90") and are
 * stored as integer minor units (cents) next to an ISO 4217 code. Binary floats never hold money.
 */
export interface Money {
  amount: string;
  currency: string;
}

export const currencyPattern = /^[A-Z]{3}$/;
export const amountPattern = /^-?\d{1,15}(\.\d{1,6})?$/;

/** Minor-unit exponents that differ from 2 (ISO 4217). */
const exponents: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
  JOD: 3,
};

export function currencyExponent(currency: string): number {
  return exponents[currency] ?? 2;
}

/** Converts a decimal amount to minor units, rounding half away from zero (documented in docs/billing.md). */
export function toMinorUnits(amount: string | Decimal, currency: string): number {
  const exp = currencyExponent(currency);
  return new Decimal(amount)
    .mul(new Decimal(10).pow(exp))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
}

export function fromMinorUnits(minor: number | bigint | string, currency: string): string {
  const exp = currencyExponent(currency);
  return new Decimal(minor.toString()).div(new Decimal(10).pow(exp)).toFixed(exp);
}

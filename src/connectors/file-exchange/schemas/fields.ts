import { z } from 'zod';
import { amountPattern, currencyPattern } from '../../../shared/money.js';
import { quantityPattern } from '../../../shared/quantity.js';

/**
 * Field rules shared by the import kinds. Every input value is text; surrounding whitespace is trimmed and
 * an empty cell means "not given".
 */
const blankToUndefined = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed.length === 0 ? undefined : trimmed;
};

const singleLine = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((value) => !/[\r\n]/.test(value), 'must be a single line');

export const requiredText = (max: number) => z.preprocess(blankToUndefined, singleLine(max));
export const optionalText = (max: number) => z.preprocess(blankToUndefined, singleLine(max).optional());

/** Codes and references: letters, digits and . _ - / (no spaces), as ERPs accept them as keys. */
export const code = (max = 64) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(max, `at most ${max} characters`)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only'),
  );

export const optionalCode = (max = 64) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(max, `at most ${max} characters`)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only')
      .optional(),
  );

export const quantity = z.preprocess(
  blankToUndefined,
  z.string().regex(quantityPattern, 'a decimal number with at most 3 decimals'),
);
export const optionalQuantity = z.preprocess(
  blankToUndefined,
  z.string().regex(quantityPattern, 'a decimal number with at most 3 decimals').optional(),
);
export const amount = z.preprocess(
  blankToUndefined,
  z.string().regex(amountPattern, 'a decimal amount with at most 6 decimals'),
);
export const optionalAmount = z.preprocess(
  blankToUndefined,
  z.string().regex(amountPattern, 'a decimal amount with at most 6 decimals').optional(),
);
export const currency = z.preprocess(
  blankToUndefined,
  z.string().regex(currencyPattern, 'an ISO 4217 code such as EUR'),
);
export const optionalCurrency = z.preprocess(
  blankToUndefined,
  z.string().regex(currencyPattern, 'an ISO 4217 code such as EUR').optional(),
);
export const optionalCountry = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as DE')
    .optional(),
);
export const optionalEmail = z.preprocess(blankToUndefined, z.email('an e-mail address').max(254).optional());

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Date.parse rolls 2026-02-30 over to March; a real date survives the trip back to text. */
const realDate = (value: string): boolean => {
  const day = value.slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  return (
    !Number.isNaN(parsed.getTime()) &&
    parsed.toISOString().slice(0, 10) === day &&
    !Number.isNaN(Date.parse(value))
  );
};

export const optionalDate = z.preprocess(
  blankToUndefined,
  z.string().regex(isoDate, 'a date YYYY-MM-DD').refine(realDate, 'not a real date').optional(),
);
/** A date, or a date-time with an offset (never a local time without one). */
export const dateOrDateTime = z.preprocess(
  blankToUndefined,
  z
    .string()
    .refine(
      (value) => isoDate.test(value) || isoDateTime.test(value),
      'a date YYYY-MM-DD or date-time with offset',
    )
    .refine(realDate, 'not a real date'),
);
export const optionalDateOrDateTime = z.preprocess(
  blankToUndefined,
  z
    .string()
    .refine(
      (value) => isoDate.test(value) || isoDateTime.test(value),
      'a date YYYY-MM-DD or date-time with offset',
    )
    .refine(realDate, 'not a real date')
    .optional(),
);

const truthy = new Set(['true', '1', 'yes', 'y']);
const falsy = new Set(['false', '0', 'no', 'n']);
export const optionalBoolean = z.preprocess((value) => {
  const text = blankToUndefined(value);
  if (typeof text !== 'string') return text;
  const lower = text.toLowerCase();
  if (truthy.has(lower)) return true;
  if (falsy.has(lower)) return false;
  return text;
}, z.boolean('true/false, yes/no or 1/0').optional());

export const positiveInteger = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'a positive whole number')
    .transform(Number),
);

import { Decimal } from 'decimal.js';

/** A related field read with a dotted name ('product.code') comes back as row['product.'].code. */
export function related(row: Record<string, unknown>, path: string): unknown {
  const dot = path.lastIndexOf('.');
  const nested = row[`${path.slice(0, dot)}.`] as Record<string, unknown> | null | undefined;
  return nested?.[path.slice(dot + 1)] ?? null;
}

export const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const id = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * Tryton stock quantities are Float fields: 0.1 + 0.2 comes back as 0.30000000000000004. Quantities leave
 * the connector as decimal strings rounded to the quantity scale Fieldsync uses (3 decimals).
 */
export function quantityText(value: unknown, scale = 3): string {
  const n = typeof value === 'number' ? value : Number(value ?? 0);
  return new Decimal(Number.isFinite(n) ? n : 0).toDecimalPlaces(scale).toFixed();
}

/** Numeric fields arrive as decimal strings already (or null). */
export const decimalText = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? new Decimal(value).toFixed() : null;

/** Record ids → rows of a related model, one search for a page of records. */
export function groupBy<T extends Record<string, unknown>>(
  rows: readonly T[],
  key: string,
): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const k = row[key];
    if (typeof k !== 'number') continue;
    out.set(k, [...(out.get(k) ?? []), row]);
  }
  return out;
}

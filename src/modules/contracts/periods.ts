/**
 * Validity periods are inclusive 'YYYY-MM-DD' ranges; a null end is open-ended. ISO dates compare
 * correctly as strings, so no Date objects (and no time zones) are involved.
 */
export interface Period {
  validFrom: string;
  validTo: string | null;
}

const END_OF_TIME = '9999-12-31';

export function overlaps(a: Period, b: Period): boolean {
  return a.validFrom <= (b.validTo ?? END_OF_TIME) && b.validFrom <= (a.validTo ?? END_OF_TIME);
}

export function contains(period: Period, onDate: string): boolean {
  return period.validFrom <= onDate && onDate <= (period.validTo ?? END_OF_TIME);
}

/** Periods where either end may be open (price lists may have no start either). */
export function overlapsLoose(
  a: { validFrom: string | null; validTo: string | null },
  b: { validFrom: string | null; validTo: string | null },
) {
  return overlaps(
    { validFrom: a.validFrom ?? '0000-01-01', validTo: a.validTo },
    { validFrom: b.validFrom ?? '0000-01-01', validTo: b.validTo },
  );
}

export function dayBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const shifted = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not remap years 0–99 to 1900–1999.
  shifted.setUTCFullYear(y ?? 0, (m ?? 1) - 1, (d ?? 1) - 1);
  return shifted.toISOString().slice(0, 10);
}

export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

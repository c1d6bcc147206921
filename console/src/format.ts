/** Display helpers shared by the operations pages. Planning days are UTC days, as the API defines them. */

export interface Money {
  amount: string;
  currency: string;
}

export const money = (m: Money | null | undefined): string => (m ? `${m.amount} ${m.currency}` : '—');

/** `2026-05-04T08:30:00.000Z` → `08:30` (UTC). */
export function utcTime(iso: string | null | undefined): string {
  return iso ? iso.slice(11, 16) : '—';
}

/** Local date and time, for "when did this happen" columns. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the ISO week holding `day`. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00.000Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** `2026-05-04` → `Mon 4 May`. */
export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00.000Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

export const isDay = (value: string | null): value is string =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** Tone of a status badge: finished well, needs attention, failed, or in between. */
export function statusTone(status: string): 'ok' | 'warn' | 'bad' | 'info' {
  if (
    [
      'completed',
      'closed',
      'delivered',
      'approved',
      'invoiced',
      'sent_to_erp',
      'in_service',
      'installed',
    ].includes(status)
  )
    return 'ok';
  if (['failed', 'refused', 'dead', 'cancelled', 'disposed'].includes(status)) return 'bad';
  if (['in_progress', 'running', 'pending', 'in_flight', 'queued', 'scheduled', 'duplicate'].includes(status))
    return 'warn';
  return 'info';
}

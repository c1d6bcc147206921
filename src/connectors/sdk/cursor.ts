import type { ConnectorRecord, Cursor } from './connector.js';

/** Orders keyset positions: by `modifiedAt` (ISO strings compare lexically), then by `id`. */
export function compareCursor(a: Cursor, b: Cursor): number {
  if (a.modifiedAt !== b.modifiedAt) return a.modifiedAt < b.modifiedAt ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

export function cursorOf(record: ConnectorRecord): Cursor {
  return { modifiedAt: record.modifiedAt, id: record.externalId };
}

/** True when `record` lies strictly after `cursor` (a null cursor is before everything). */
export function isAfterCursor(record: ConnectorRecord, cursor: Cursor | null): boolean {
  return cursor === null || compareCursor(cursorOf(record), cursor) > 0;
}

/**
 * Moves a saved cursor back by `overlapSeconds` so the next read also returns records that the vendor
 * committed late with an earlier timestamp (long transactions, clock skew, second-granularity dates).
 * The re-read records must be dropped with `recordVersionKey` dedupe by the caller.
 */
export function withOverlap(cursor: Cursor | null, overlapSeconds: number): Cursor | null {
  if (cursor === null || overlapSeconds <= 0) return cursor;
  const at = Date.parse(cursor.modifiedAt);
  if (Number.isNaN(at)) return null;
  // An empty id sorts before every real id, so all records at the moved-back instant are included.
  return { modifiedAt: new Date(at - overlapSeconds * 1000).toISOString(), id: '' };
}

/** Identity of one version of a record: a re-read of the same version is a duplicate, a newer one is not. */
export function recordVersionKey(record: ConnectorRecord): string {
  return `${record.externalId}\u0000${record.modifiedAt}`;
}

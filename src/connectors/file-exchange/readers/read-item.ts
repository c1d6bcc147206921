import type { ExportFormat } from '../manifest.js';
import { MAX_RAW_IN_REJECT } from '../limits.js';

/**
 * What every reader yields: a record (all values as text) or a row-level error. `rowNumber` is the
 * 1-based line of the file where the row starts (the header is line 1 when there is one), so a person
 * can find it in an editor. A malformed row yields an error and reading goes on.
 */
export type ReadItem =
  | { type: 'record'; rowNumber: number; record: Record<string, string>; raw: string }
  | { type: 'error'; rowNumber: number; reason: string; raw: string };

export interface RecordReader {
  readonly format: ExportFormat;
  readonly encoding: string;
  /** Reads the file once, front to back, holding at most one record (bounded by the limits) in memory. */
  items(): AsyncGenerator<ReadItem, void, undefined>;
}

/** Column names compare case-insensitively, with spaces and dashes read as `_` ("Postal Code" → postal_code). */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function truncateRaw(raw: string): string {
  return raw.length <= MAX_RAW_IN_REJECT
    ? raw
    : `${raw.slice(0, MAX_RAW_IN_REJECT)}…[truncated ${raw.length - MAX_RAW_IN_REJECT} chars]`;
}

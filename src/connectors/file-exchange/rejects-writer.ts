import { stringify } from 'csv-stringify/sync';
import { createAtomicFile, type AtomicFile } from './atomic-file.js';
import { neutraliseCell } from './csv-cell.js';
import { truncateRaw } from './readers/read-item.js';
import { csvStringifyOptions } from './writers/csv-serializer.js';

export interface RejectedRow {
  rowNumber: number;
  reason: string;
  raw: string;
}

/**
 * Writes `<original>.rejects.csv` (row_number, reason, raw), created only when the first reject arrives.
 * People open it in spreadsheets, so cells go through the formula guard; it is published atomically
 * like every other file we write.
 */
export interface RejectsWriter {
  readonly path: string;
  readonly count: number;
  add(row: RejectedRow): Promise<void>;
  /** Durable when resolved; undefined when there was nothing to reject. */
  close(): Promise<{ path: string; count: number } | undefined>;
  abort(): Promise<void>;
}

const FLUSH_CHARS = 64 * 1024;

export function rejectsFileNameFor(originalName: string): string {
  return `${originalName}.rejects.csv`;
}

export function createRejectsWriter(path: string): RejectsWriter {
  let file: AtomicFile | undefined;
  let pending = '';
  let count = 0;

  const line = (cells: string[]): string =>
    stringify([cells.map((cell) => neutraliseCell(cell))], csvStringifyOptions(','));

  return {
    path,
    get count() {
      return count;
    },
    async add(row) {
      if (file === undefined) {
        file = await createAtomicFile(path, { noClobber: false });
        pending = line(['row_number', 'reason', 'raw']);
      }
      count += 1;
      pending += line([String(row.rowNumber), row.reason, truncateRaw(row.raw)]);
      if (pending.length >= FLUSH_CHARS) {
        await file.write(pending);
        pending = '';
      }
    },
    async close() {
      if (file === undefined) return undefined;
      if (pending.length > 0) await file.write(pending);
      pending = '';
      await file.commit();
      return { path, count };
    },
    async abort() {
      pending = '';
      await file?.abort();
    },
  };
}

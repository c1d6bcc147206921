import type { FileHandle } from 'node:fs/promises';
import { isFileExchangeError, type FileExchangeError } from '../file-exchange-error.js';
import type { ImportKind } from '../import-kinds.js';
import type { FileLimits } from '../limits.js';
import type { ExportFormat } from '../manifest.js';
import { openRecordReader, type ReaderOverrides } from '../readers/open-reader.js';
import type { RejectsWriter } from '../rejects-writer.js';
import { columnsOf, requiredColumnsOf, validateRow } from '../row-validation.js';
import { isRowLevelError, type ApplyRow } from './apply-row.js';

export interface ImportCounts {
  rowsRead: number;
  applied: number;
  rejected: number;
  encoding: string;
}

export type ImportFileResult =
  | ({ status: 'done' } & ImportCounts)
  /** Refused before any row was applied: the file goes to quarantine. */
  | { status: 'refused'; error: FileExchangeError }
  /** A system failure while applying: nothing is recorded, the file stays for a later poll. */
  | ({ status: 'deferred'; error: unknown } & ImportCounts);

export interface ImportFileOptions {
  handle: FileHandle;
  fileName: string;
  sha256: string;
  kind: ImportKind;
  format: ExportFormat;
  apply: ApplyRow;
  rejects: RejectsWriter;
  limits: FileLimits;
  overrides: ReaderOverrides;
  isRowError?: (error: unknown) => boolean;
}

/** Reads, validates and applies every row of one file; bad rows go to the rejects writer. */
export async function importFile(options: ImportFileOptions): Promise<ImportFileResult> {
  const isRowError = options.isRowError ?? isRowLevelError;
  const counts: ImportCounts = { rowsRead: 0, applied: 0, rejected: 0, encoding: '' };
  try {
    const reader = await openRecordReader(options.format, options.handle, {
      ...options.overrides,
      expectedColumns: columnsOf(options.kind),
      requiredColumns: requiredColumnsOf(options.kind),
      limits: options.limits,
    });
    counts.encoding = reader.encoding;
    for await (const item of reader.items()) {
      counts.rowsRead += 1;
      if (item.type === 'error') {
        counts.rejected += 1;
        await options.rejects.add(item);
        continue;
      }
      const checked = validateRow(options.kind, item.record);
      if (!checked.ok) {
        counts.rejected += 1;
        await options.rejects.add({ rowNumber: item.rowNumber, reason: checked.reason, raw: item.raw });
        continue;
      }
      try {
        await options.apply(checked.row, {
          fileName: options.fileName,
          sha256: options.sha256,
          rowNumber: item.rowNumber,
        });
        counts.applied += 1;
      } catch (error) {
        if (!isRowError(error)) return { status: 'deferred', error, ...counts };
        counts.rejected += 1;
        await options.rejects.add({
          rowNumber: item.rowNumber,
          reason: `rejected by the domain: ${(error as Error).message}`,
          raw: item.raw,
        });
      }
    }
  } catch (error) {
    if (!isFileExchangeError(error)) throw error;
    if (counts.applied === 0 && counts.rejected === 0) return { status: 'refused', error };
    // A file-level problem found after rows were applied: keep what was applied, report the rest.
    counts.rejected += 1;
    await options.rejects.add({ rowNumber: 0, reason: `file refused part-way: ${error.message}`, raw: '' });
  }
  return { status: 'done', ...counts };
}

import type { FileHandle } from 'node:fs/promises';
import type { FileLimits } from '../limits.js';
import type { ExportFormat } from '../manifest.js';
import { openCsvReader, type CsvReadOptions } from './csv-reader.js';
import { openJsonlReader } from './jsonl-reader.js';
import type { RecordReader } from './read-item.js';
import { openXmlReader } from './xml-reader.js';

/** Per-file overrides an operator can set when detection guesses wrong. */
export interface ReaderOverrides {
  encoding?: string;
  /** CSV only. */
  delimiter?: string;
  /** CSV only. */
  header?: boolean | 'auto';
  /** CSV only: names for header-less files. */
  columns?: readonly string[];
  /** XML only. */
  recordElement?: string;
}

export interface OpenReaderOptions extends ReaderOverrides {
  expectedColumns?: readonly string[];
  requiredColumns?: readonly string[];
  limits?: Partial<FileLimits>;
}

export async function openRecordReader(
  format: ExportFormat,
  handle: FileHandle,
  options: OpenReaderOptions = {},
): Promise<RecordReader> {
  switch (format) {
    case 'csv': {
      const csv: CsvReadOptions = {
        encoding: options.encoding,
        delimiter: options.delimiter,
        header: options.header,
        columns: options.columns,
        expectedColumns: options.expectedColumns,
        requiredColumns: options.requiredColumns,
        limits: options.limits,
      };
      return openCsvReader(handle, csv);
    }
    case 'jsonl':
      return openJsonlReader(handle, { encoding: options.encoding, limits: options.limits });
    case 'xml':
      return openXmlReader(handle, {
        encoding: options.encoding,
        recordElement: options.recordElement,
        limits: options.limits,
      });
  }
}

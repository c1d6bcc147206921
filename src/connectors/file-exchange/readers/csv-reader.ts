import type { FileHandle } from 'node:fs/promises';
import { restoreCell } from '../csv-cell.js';
import { FileExchangeError, FileRefusal } from '../file-exchange-error.js';
import { SAMPLE_BYTES, resolveLimits, type FileLimits } from '../limits.js';
import { textProblem } from '../text-rules.js';
import { CsvRecordAssembler, type Assembled } from './csv-assembler.js';
import { detectDelimiter, looksLikeHeader } from './csv-sniff.js';
import { decodeFile, decodeSample, detectEncoding, readSample, type DetectedEncoding } from './encoding.js';
import { splitLines } from './line-splitter.js';
import { normaliseColumnName, truncateRaw, type ReadItem, type RecordReader } from './read-item.js';

export interface CsvReadOptions {
  /** Force an encoding (any iconv-lite name) instead of detecting it. */
  encoding?: string;
  /** Force a delimiter instead of detecting it among , ; tab |. */
  delimiter?: string;
  /** true / false force; 'auto' (default) decides from the first row. */
  header?: boolean | 'auto';
  /** Column names for files without a header (defaults to expectedColumns). */
  columns?: readonly string[];
  /** The kind's known columns: used to recognise the header and as positional names without one. */
  expectedColumns?: readonly string[];
  /** The file is refused (FileExchangeError missing_columns) when its columns lack one of these. */
  requiredColumns?: readonly string[];
  /** Undo the export-side formula guard (`'=x` → `=x`). Default true. */
  restoreNeutralised?: boolean;
  limits?: Partial<FileLimits>;
}

export interface CsvReader extends RecordReader {
  readonly delimiter: string;
  readonly encodingDetection: DetectedEncoding;
  /** Known once the first row has been read. */
  readonly columns: readonly string[] | undefined;
  readonly hasHeader: boolean | undefined;
}

export async function openCsvReader(handle: FileHandle, options: CsvReadOptions = {}): Promise<CsvReader> {
  const limits = resolveLimits(options.limits);
  const sample = await readSample(handle, SAMPLE_BYTES);
  const detected = detectEncoding(sample, options.encoding);
  const sampleText = decodeSample(sample, detected.encoding);
  const delimiter = options.delimiter ?? detectDelimiter(sampleText);
  const terminator = sampleText.includes('\r') && !sampleText.includes('\n') ? '\r' : '\n';
  const restore = options.restoreNeutralised ?? true;
  let columns: string[] | undefined;
  let hasHeader: boolean | undefined;

  const decideColumns = (first: Extract<Assembled, { type: 'fields' }>): boolean => {
    const cells = first.fields.map((cell) => (restore ? restoreCell(cell) : cell));
    const header = options.header ?? 'auto';
    hasHeader = header === 'auto' ? looksLikeHeader(cells, options.expectedColumns) : header;
    const names = hasHeader
      ? cells.map(normaliseColumnName)
      : (options.columns ?? options.expectedColumns)?.map(normaliseColumnName);
    if (names === undefined || names.length === 0) {
      throw new FileExchangeError(
        FileRefusal.noColumns,
        'the file has no header row and no column names were configured',
      );
    }
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) {
      throw new FileExchangeError(
        FileRefusal.duplicateColumns,
        `column "${duplicate}" appears twice in the header`,
        { column: duplicate },
      );
    }
    const missing = (options.requiredColumns ?? []).filter((name) => !names.includes(name));
    if (missing.length > 0) {
      throw new FileExchangeError(
        FileRefusal.missingColumns,
        `the file lacks required columns: ${missing.join(', ')}`,
        { missing },
      );
    }
    columns = names;
    return hasHeader;
  };

  const toRecord = (row: Extract<Assembled, { type: 'fields' }>, names: readonly string[]): ReadItem => {
    if (row.fields.length !== names.length) {
      return {
        type: 'error',
        rowNumber: row.line,
        reason: `expected ${names.length} fields, found ${row.fields.length}`,
        raw: truncateRaw(row.raw),
      };
    }
    const entries: [string, string][] = [];
    for (let i = 0; i < names.length; i += 1) {
      const value = restore ? restoreCell(row.fields[i] as string) : (row.fields[i] as string);
      const problem = textProblem(value);
      if (problem !== undefined) {
        return {
          type: 'error',
          rowNumber: row.line,
          reason: `column ${names[i]}: ${problem}`,
          raw: truncateRaw(row.raw),
        };
      }
      entries.push([names[i] as string, value]);
    }
    return { type: 'record', rowNumber: row.line, record: Object.fromEntries(entries), raw: row.raw };
  };

  async function* items(): AsyncGenerator<ReadItem, void, undefined> {
    const assembler = new CsvRecordAssembler({
      delimiter,
      maxFieldChars: limits.maxFieldChars,
      maxRecordChars: limits.maxRecordChars,
    });
    let rows = 0;
    const lines = splitLines(decodeFile(handle, detected.encoding), {
      maxLineChars: limits.maxRecordChars,
      terminator,
    });
    let out: Assembled[] = [];
    let done = false;
    while (!done) {
      const next = await lines.next();
      if (next.done) {
        assembler.end(out);
        done = true;
      } else {
        for (const line of next.value) assembler.push(line, out);
      }
      const ready = out;
      out = [];
      for (const item of ready) {
        if (item.type === 'error') {
          yield { type: 'error', rowNumber: item.line, reason: item.reason, raw: item.raw };
          continue;
        }
        if (columns === undefined && decideColumns(item)) continue;
        rows += 1;
        if (rows > limits.maxRows) {
          yield {
            type: 'error',
            rowNumber: item.line,
            reason: `row limit of ${limits.maxRows} reached (limits.maxRows); this and later rows were not read`,
            raw: truncateRaw(item.raw),
          };
          await lines.return(undefined);
          return;
        }
        yield toRecord(item, columns as string[]);
      }
    }
  }

  return {
    format: 'csv',
    encoding: detected.encoding,
    encodingDetection: detected,
    delimiter,
    get columns() {
      return columns;
    },
    get hasHeader() {
      return hasHeader;
    },
    items,
  };
}

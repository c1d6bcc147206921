import { stringify } from 'csv-stringify/sync';
import { neutraliseCell } from '../csv-cell.js';
import { assertLayout, projectRecord, type ColumnLayout } from '../column-layout.js';
import { FileExchangeError, FileRefusal, isFileExchangeError } from '../file-exchange-error.js';
import { textProblem } from '../text-rules.js';
import type { RecordSerializer } from './record-serializer.js';

export interface CsvSerializerOptions {
  layout: ColumnLayout;
  delimiter?: ',' | ';' | '\t' | '|';
  /** Write a UTF-8 byte order mark so spreadsheet programs pick the right encoding. Default false. */
  bom?: boolean;
}

/** RFC 4180 CSV (CRLF records, quotes doubled) with every cell passed through the formula guard. */
export function createCsvSerializer(options: CsvSerializerOptions): RecordSerializer {
  assertLayout(options.layout);
  const layout = options.layout;
  const stringifyOptions = csvStringifyOptions(options.delimiter ?? ',');
  return {
    format: 'csv',
    begin() {
      const header = stringify([layout.map((column) => neutraliseCell(column.header))], stringifyOptions);
      return (options.bom ? '\uFEFF' : '') + header;
    },
    records(batch, firstIndex) {
      const rows = batch.map((record, index) => {
        try {
          return projectRecord(record, layout).map((cell, column) => {
            if (cell === null) return '';
            const problem = textProblem(cell);
            if (problem !== undefined) {
              throw new FileExchangeError(
                FileRefusal.unrepresentableValue,
                `column ${layout[column]?.header}: ${problem}`,
              );
            }
            return neutraliseCell(cell, { numeric: layout[column]?.numeric === true });
          });
        } catch (error) {
          throw withIndex(error, firstIndex + index);
        }
      });
      return stringify(rows, stringifyOptions);
    },
    end: () => '',
  };
}

/**
 * csv-stringify quotes a field containing the record delimiter (CRLF) but not a lone LF or CR, which
 * readers would then take for a line break; quoted_match closes that gap.
 */
export function csvStringifyOptions(delimiter: string) {
  return { delimiter, record_delimiter: 'windows' as const, quoted_match: /[\r\n]/ };
}

export function withIndex(error: unknown, index: number): unknown {
  if (!isFileExchangeError(error)) return error;
  return new FileExchangeError(
    error.reason,
    `record ${index}: ${error.message}`,
    { ...error.detail, recordIndex: index },
    error,
  );
}

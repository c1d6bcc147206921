import { stringify } from 'csv-stringify/sync';
import { neutraliseCell } from '../../connectors/file-exchange/index.js';

export interface CsvColumn<T> {
  key: keyof T & string;
  header: string;
  numeric?: boolean;
}

/**
 * RFC 4180 CSV (CRLF records, quotes doubled, a lone CR or LF quoted) with every cell through the
 * formula-injection guard: text starting with = + - @ tab or CR gets a leading quote; numeric columns
 * keep plain decimal numerals (a negative credit stays -12.50).
 */
export function toCsv<T extends object>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const header = columns.map((c) => neutraliseCell(c.header));
  const body = rows.map((row) =>
    columns.map((c) => {
      const value = (row as Record<string, unknown>)[c.key];
      if (value === null || value === undefined) return '';
      return neutraliseCell(String(value), { numeric: c.numeric === true });
    }),
  );
  return stringify([header, ...body], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

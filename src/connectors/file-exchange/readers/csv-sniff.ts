import { strictDecimalPattern } from '../csv-cell.js';
import { normaliseColumnName } from './read-item.js';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Quoted sections are dropped before counting: a comma inside "Smith, John" says nothing. */
function unquoted(line: string): string {
  return line.replace(/"(?:[^"]|"")*"/g, '""');
}

/**
 * Picks the candidate that splits the first lines into the same number of fields most consistently,
 * then the one with more fields; ties go to the order , ; tab |. A file with no candidate at all is one
 * column, read with ','.
 */
export function detectDelimiter(sampleText: string, maxLines = 20): CsvDelimiter {
  const lines = sampleText
    .split(/\r\n|\n|\r/)
    .slice(0, maxLines + 1)
    .filter((line) => line.trim().length > 0)
    .slice(0, maxLines)
    .map(unquoted);
  // The last sampled line may be cut mid-way; count it only when it is the only one.
  const counted = lines.length > 1 ? lines.slice(0, -1) : lines;
  let best: { delimiter: CsvDelimiter; consistent: number; fields: number } | undefined;
  for (const delimiter of CSV_DELIMITERS) {
    const counts = counted.map((line) => line.split(delimiter).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((count) => count === first).length;
    if (
      best === undefined ||
      consistent > best.consistent ||
      (consistent === best.consistent && first > best.fields)
    ) {
      best = { delimiter, consistent, fields: first };
    }
  }
  return best?.delimiter ?? ',';
}

const dateLike = /^\d{4}-\d{2}-\d{2}/;
const nameLike = /^[\p{L}_][\p{L}\p{N} _.\-()#/]*$/u;

/**
 * Decides whether the first row names the columns. With the kind's expected columns known, it is a header
 * when at least half of its cells are expected names; otherwise when every cell is a distinct, non-empty,
 * name-like text and none is a number or a date.
 */
export function looksLikeHeader(cells: readonly string[], expectedColumns?: readonly string[]): boolean {
  const names = cells.map(normaliseColumnName);
  if (expectedColumns !== undefined && expectedColumns.length > 0) {
    const expected = new Set(expectedColumns);
    const hits = names.filter((name) => expected.has(name)).length;
    return hits > 0 && hits * 2 >= names.length;
  }
  if (names.some((name) => name.length === 0)) return false;
  if (new Set(names).size !== names.length) return false;
  return cells.every((cell) => {
    const value = cell.trim();
    return !strictDecimalPattern.test(value) && !dateLike.test(value) && nameLike.test(value);
  });
}

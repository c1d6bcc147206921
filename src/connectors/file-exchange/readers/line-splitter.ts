import { MAX_RAW_IN_REJECT } from '../limits.js';

export interface Line {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** The terminator that ended the line ('' at end of file), kept so multi-line CSV fields round-trip. */
  eol: string;
  /** Longer than the limit: `text` holds only the start, the rest was skipped without being kept. */
  tooLong: boolean;
}

export interface SplitLinesOptions {
  maxLineChars: number;
  /** '\n' (LF and CRLF files) or '\r' (old Mac files with CR only). */
  terminator?: '\n' | '\r';
}

/**
 * Splits decoded text into lines, one batch per chunk. A line longer than the limit is cut to a short
 * prefix and flagged; its remainder is skipped as it streams by, so memory stays bounded however long
 * the line is.
 */
export async function* splitLines(
  chunks: AsyncIterable<string>,
  options: SplitLinesOptions,
): AsyncGenerator<Line[], void, undefined> {
  const terminator = options.terminator ?? '\n';
  const max = options.maxLineChars;
  let carry = '';
  let carryTooLong = false;
  let lineNumber = 0;

  const finish = (text: string, eol: string): Line => {
    lineNumber += 1;
    if (carryTooLong) return { number: lineNumber, text: carry, eol, tooLong: true };
    let full = carry + text;
    let end = eol;
    if (terminator === '\n' && full.endsWith('\r')) {
      full = full.slice(0, -1);
      end = eol === '' ? '\r' : '\r\n';
    }
    if (full.length > max)
      return { number: lineNumber, text: full.slice(0, MAX_RAW_IN_REJECT), eol: end, tooLong: true };
    return { number: lineNumber, text: full, eol: end, tooLong: false };
  };

  for await (const chunk of chunks) {
    const batch: Line[] = [];
    let start = 0;
    for (;;) {
      const index = chunk.indexOf(terminator, start);
      if (index === -1) {
        if (!carryTooLong) {
          const rest = chunk.slice(start);
          // +1 leaves room for the CR of a CRLF that the next chunk completes.
          if (carry.length + rest.length > max + 1) {
            carry = (carry + rest.slice(0, MAX_RAW_IN_REJECT)).slice(0, MAX_RAW_IN_REJECT);
            carryTooLong = true;
          } else {
            carry += rest;
          }
        }
        break;
      }
      batch.push(finish(chunk.slice(start, index), terminator));
      carry = '';
      carryTooLong = false;
      start = index + 1;
    }
    if (batch.length > 0) yield batch;
  }
  if (carry.length > 0 || carryTooLong) yield [finish('', '')];
}

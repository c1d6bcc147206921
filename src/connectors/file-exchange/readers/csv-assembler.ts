import type { Line } from './line-splitter.js';
import { truncateRaw } from './read-item.js';

export type Assembled =
  | { type: 'fields'; line: number; fields: string[]; raw: string }
  | { type: 'error'; line: number; reason: string; raw: string };

export interface CsvAssemblerOptions {
  delimiter: string;
  maxFieldChars: number;
  maxRecordChars: number;
}

const QUOTE = 0x22;

/**
 * Turns lines into CSV records (RFC 4180 quoting, lenient about stray quotes inside unquoted fields).
 *
 * Why not csv-parse: after a quoting error it cannot find its way back, so one stray quote swallows every
 * row up to the next quote or the end of the file (measured: `1,"Alice` followed by good rows loses them
 * all). Here a record that fails (unclosed quote at end of file, text after a closing quote, a field or
 * record over its limit) is reported against the line where it started, and parsing restarts on the next
 * line from the lines kept for that record. Those lines are bounded by maxRecordChars.
 */
export class CsvRecordAssembler {
  private readonly options: CsvAssemblerOptions;
  private pendingLines: Line[] = [];
  private fields: string[] = [];
  private field = '';
  private inQuote = false;
  private recordChars = 0;

  constructor(options: CsvAssemblerOptions) {
    if (
      options.delimiter.length === 0 ||
      options.delimiter.includes('"') ||
      /[\r\n]/.test(options.delimiter)
    ) {
      throw new RangeError('CSV delimiter must be non-empty and contain no quote or line break');
    }
    this.options = options;
  }

  push(line: Line, out: Assembled[]): void {
    const queue: Line[] = [line];
    for (let i = 0; i < queue.length; i += 1) this.feed(queue[i] as Line, out, queue);
  }

  /** End of file: a record still inside quotes is reported and its later lines are read again. */
  end(out: Assembled[]): void {
    while (this.inQuote) {
      const first = this.pendingLines[0] as Line;
      const queue = this.fail(`quoted field starting on line ${first.number} is never closed`, out);
      for (let i = 0; i < queue.length; i += 1) this.feed(queue[i] as Line, out, queue);
    }
  }

  private feed(line: Line, out: Assembled[], queue: Line[]): void {
    if (line.tooLong) {
      if (this.inQuote) {
        const retry = this.fail(
          `record starting on line ${this.pendingLines[0]?.number} is longer than ${this.options.maxRecordChars} characters`,
          out,
        );
        enqueue(queue, retry);
        queue.push(line);
        return;
      }
      out.push({
        type: 'error',
        line: line.number,
        reason: `line is longer than ${this.options.maxRecordChars} characters`,
        raw: truncateRaw(line.text),
      });
      return;
    }
    if (!this.inQuote) {
      if (line.text.length === 0 || line.text.trim().length === 0) return;
      this.pendingLines = [line];
      this.fields = [];
      this.recordChars = line.text.length;
    } else {
      const previous = this.pendingLines[this.pendingLines.length - 1] as Line;
      this.pendingLines.push(line);
      this.field += previous.eol;
      this.recordChars += previous.eol.length + line.text.length;
      if (this.recordChars > this.options.maxRecordChars) {
        enqueue(
          queue,
          this.fail(
            `record starting on line ${this.pendingLines[0]?.number} is longer than ${this.options.maxRecordChars} characters`,
            out,
          ),
        );
        return;
      }
    }
    const problem = this.scan(line.text);
    if (problem === 'incomplete') return;
    if (problem !== undefined) {
      enqueue(queue, this.fail(problem, out));
      return;
    }
    const first = this.pendingLines[0] as Line;
    out.push({ type: 'fields', line: first.number, fields: this.fields, raw: this.rawText() });
    this.pendingLines = [];
    this.fields = [];
  }

  /** Returns undefined when the record is complete, 'incomplete' inside quotes, else the error. */
  private scan(text: string): string | undefined {
    const { delimiter, maxFieldChars } = this.options;
    let i = 0;
    let quoted = this.inQuote;
    for (;;) {
      if (!quoted) {
        if (text.charCodeAt(i) !== QUOTE) {
          const next = text.indexOf(delimiter, i);
          const value = next === -1 ? text.slice(i) : text.slice(i, next);
          if (value.length > maxFieldChars)
            return `field ${this.fields.length + 1} is longer than ${maxFieldChars} characters`;
          this.fields.push(value);
          if (next === -1) return undefined;
          i = next + delimiter.length;
          continue;
        }
        quoted = true;
        this.inQuote = true;
        this.field = '';
        i += 1;
      }
      const close = text.indexOf('"', i);
      if (close === -1) {
        this.field += text.slice(i);
        if (this.field.length > maxFieldChars)
          return `field ${this.fields.length + 1} is longer than ${maxFieldChars} characters`;
        return 'incomplete';
      }
      this.field += text.slice(i, close);
      if (text.charCodeAt(close + 1) === QUOTE) {
        this.field += '"';
        i = close + 2;
        continue;
      }
      this.inQuote = false;
      quoted = false;
      if (this.field.length > maxFieldChars)
        return `field ${this.fields.length + 1} is longer than ${maxFieldChars} characters`;
      this.fields.push(this.field);
      this.field = '';
      const after = close + 1;
      if (after === text.length) return undefined;
      if (!text.startsWith(delimiter, after)) {
        return `unexpected text after the closing quote of field ${this.fields.length}`;
      }
      i = after + delimiter.length;
      if (i === text.length) {
        this.fields.push('');
        return undefined;
      }
    }
  }

  /** Reports the record as one error and returns its later lines to be parsed afresh. */
  private fail(reason: string, out: Assembled[]): Line[] {
    const first = this.pendingLines[0] as Line;
    out.push({ type: 'error', line: first.number, reason, raw: truncateRaw(this.rawText()) });
    const retry = this.pendingLines.slice(1);
    this.pendingLines = [];
    this.fields = [];
    this.field = '';
    this.inQuote = false;
    this.recordChars = 0;
    return retry;
  }

  private rawText(): string {
    if (this.pendingLines.length === 1) return (this.pendingLines[0] as Line).text;
    return this.pendingLines
      .map((line, index) => (index === this.pendingLines.length - 1 ? line.text : line.text + line.eol))
      .join('');
  }
}

/** A loop, not push(...lines): a record can keep hundreds of thousands of short lines. */
function enqueue(queue: Line[], lines: readonly Line[]): void {
  for (const line of lines) queue.push(line);
}

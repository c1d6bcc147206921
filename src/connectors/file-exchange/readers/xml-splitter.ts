import { FileExchangeError, FileRefusal } from '../file-exchange-error.js';
import { truncateRaw } from './read-item.js';

export type XmlPiece =
  | { type: 'record'; line: number; text: string }
  | { type: 'error'; line: number; reason: string; raw: string; fatal?: boolean };

type Phase = 'prolog' | 'body' | 'record' | 'skip' | 'epilog' | 'stopped';

/**
 * Cuts a `<root><record>…</record>…</root>` document into record elements as text arrives, so each record
 * is parsed on its own and memory holds one record at a time. It only tracks tag nesting; the records
 * themselves are checked for well-formedness by parseXmlRecord. A record that is too long is skipped
 * without being kept; a record left open is closed by the next record start tag or by the root end tag,
 * so one broken record does not take its successors with it. Any `<!` markup other than comments and
 * CDATA (DOCTYPE, ENTITY, ...) stops the file: the reader's pre-scan refuses such files before this runs.
 */
export class XmlRecordSplitter {
  private buffer = '';
  private pos = 0;
  private line = 1;
  private phase: Phase = 'prolog';
  private rootName: string | undefined;
  private recordName: string | undefined;
  private depth = 0;
  private recordStart = 0;
  private recordLine = 0;
  private readonly maxRecordChars: number;

  constructor(options: { maxRecordChars: number; recordElement?: string }) {
    this.maxRecordChars = options.maxRecordChars;
    this.recordName = options.recordElement;
  }

  get stopped(): boolean {
    return this.phase === 'stopped';
  }

  push(chunk: string): XmlPiece[] {
    if (this.phase === 'stopped') return [];
    this.buffer += chunk;
    const out: XmlPiece[] = [];
    this.drain(false, out);
    this.compact(out);
    return out;
  }

  end(): XmlPiece[] {
    const out: XmlPiece[] = [];
    if (this.phase === 'stopped') return out;
    this.drain(true, out);
    if (this.phase === 'record' || this.phase === 'skip') {
      if (this.phase === 'record') {
        out.push(
          this.error(
            this.recordLine,
            `element <${this.recordName}> starting on line ${this.recordLine} is not closed before the end of the file`,
            this.buffer.slice(this.recordStart),
          ),
        );
      }
    } else if (this.phase === 'body') {
      out.push(
        this.error(this.line, `root element <${this.rootName}> is not closed before the end of the file`, ''),
      );
    }
    this.phase = 'stopped';
    return out;
  }

  private error(line: number, reason: string, raw: string, fatal = false): XmlPiece {
    return { type: 'error', line, reason, raw: truncateRaw(raw), ...(fatal ? { fatal } : {}) };
  }

  private advanceTo(index: number): void {
    let at = this.buffer.indexOf('\n', this.pos);
    while (at !== -1 && at < index) {
      this.line += 1;
      at = this.buffer.indexOf('\n', at + 1);
    }
    this.pos = index;
  }

  private drain(final: boolean, out: XmlPiece[]): void {
    while (this.phase !== 'stopped') {
      const lt = this.buffer.indexOf('<', this.pos);
      const textEnd = lt === -1 ? this.buffer.length : lt;
      const text = this.buffer.slice(this.pos, textEnd);
      if (this.phase !== 'record' && this.phase !== 'skip' && text.trim().length > 0) {
        out.push(this.error(this.line, `text outside a record: "${text.trim().slice(0, 40)}"`, text));
      }
      this.advanceTo(textEnd);
      if (lt === -1) return;
      const end = this.markupEnd(lt, final);
      if (end === undefined) {
        if (final) {
          out.push(
            this.error(
              this.line,
              'markup is not closed before the end of the file',
              this.buffer.slice(lt),
              true,
            ),
          );
          this.phase = 'stopped';
        }
        return;
      }
      const markup = this.buffer.slice(lt, end);
      const markupLine = this.line;
      this.advanceTo(end);
      this.onMarkup(markup, lt, markupLine, out);
    }
  }

  /** Index just past the markup at `lt`, or undefined when it is not complete yet. */
  private markupEnd(lt: number, final: boolean): number | undefined {
    const b = this.buffer;
    const find = (closer: string, from: number): number | undefined => {
      const index = b.indexOf(closer, from);
      return index === -1 ? undefined : index + closer.length;
    };
    if (b.startsWith('<!--', lt)) return find('-->', lt + 4);
    if (b.startsWith('<![CDATA[', lt)) return find(']]>', lt + 9);
    if (b.startsWith('<?', lt)) return find('?>', lt + 2);
    if (b.startsWith('<!', lt)) {
      const head = b.slice(lt, lt + 9);
      if (!final && ('<!--'.startsWith(head) || '<![CDATA['.startsWith(head))) return undefined;
      throw new FileExchangeError(
        FileRefusal.xmlDtd,
        `XML declarations (DOCTYPE, ENTITY) are refused (line ${this.line})`,
        { line: this.line },
      );
    }
    let quote = '';
    for (let i = lt + 1; i < b.length; i += 1) {
      const char = b[i];
      if (quote !== '') {
        if (char === quote) quote = '';
      } else if (char === '"' || char === "'") {
        quote = char;
      } else if (char === '>') {
        return i + 1;
      }
    }
    return undefined;
  }

  private onMarkup(markup: string, start: number, line: number, out: XmlPiece[]): void {
    if (markup.startsWith('<!--') || markup.startsWith('<?')) return;
    if (markup.startsWith('<![CDATA[')) {
      if (this.phase !== 'record' && this.phase !== 'skip')
        out.push(this.error(line, 'CDATA outside a record', markup));
      return;
    }
    const isEnd = markup.startsWith('</');
    const selfClosing = !isEnd && markup.endsWith('/>');
    const name = /^<\/?([^\s/>]+)/.exec(markup)?.[1] ?? '';
    switch (this.phase) {
      case 'prolog':
        if (isEnd) {
          out.push(this.error(line, `end tag </${name}> before any start tag`, markup, true));
          this.phase = 'stopped';
          return;
        }
        this.rootName = name;
        this.phase = selfClosing ? 'epilog' : 'body';
        return;
      case 'body':
        if (isEnd) {
          if (name === this.rootName) this.phase = 'epilog';
          else out.push(this.error(line, `unexpected end tag </${name}>`, markup));
          return;
        }
        this.recordName ??= name;
        if (name !== this.recordName) {
          out.push(
            this.error(line, `unexpected element <${name}>; records are <${this.recordName}>`, markup),
          );
          if (!selfClosing) this.startRecord('skip', start, line);
          return;
        }
        if (selfClosing) out.push({ type: 'record', line, text: markup });
        else this.startRecord('record', start, line);
        return;
      case 'record':
      case 'skip':
        this.inRecord(markup, name, isEnd, selfClosing, start, line, out);
        return;
      case 'epilog':
        out.push(this.error(line, 'content after the end of the root element', markup));
        return;
      case 'stopped':
        return;
    }
  }

  private startRecord(phase: 'record' | 'skip', start: number, line: number): void {
    this.phase = phase;
    this.depth = 1;
    this.recordStart = start;
    this.recordLine = line;
  }

  private inRecord(
    markup: string,
    name: string,
    isEnd: boolean,
    selfClosing: boolean,
    start: number,
    line: number,
    out: XmlPiece[],
  ): void {
    if (!isEnd && !selfClosing && name === this.recordName) {
      // Records do not nest: the previous one was left open.
      if (this.phase === 'record') {
        out.push(
          this.error(
            this.recordLine,
            `element <${name}> starting on line ${this.recordLine} is not closed before the next one`,
            this.buffer.slice(this.recordStart, start),
          ),
        );
      }
      this.startRecord('record', start, line);
      return;
    }
    if (isEnd && name === this.rootName && name !== this.recordName) {
      if (this.phase === 'record') {
        out.push(
          this.error(
            this.recordLine,
            `element <${this.recordName}> starting on line ${this.recordLine} is not closed`,
            this.buffer.slice(this.recordStart, start),
          ),
        );
      }
      this.phase = 'epilog';
      return;
    }
    if (selfClosing) return;
    this.depth += isEnd ? -1 : 1;
    if (this.depth > 0) return;
    if (this.phase === 'record')
      out.push({
        type: 'record',
        line: this.recordLine,
        text: this.buffer.slice(this.recordStart, start + markup.length),
      });
    this.phase = 'body';
  }

  /** Drops consumed text; a record over the limit turns into a skip so its text is not kept. */
  private compact(out: XmlPiece[]): void {
    if (this.phase === 'record') {
      if (this.buffer.length - this.recordStart > this.maxRecordChars) {
        out.push(
          this.error(
            this.recordLine,
            `record is longer than ${this.maxRecordChars} characters`,
            this.buffer.slice(this.recordStart, this.recordStart + 200),
          ),
        );
        this.phase = 'skip';
      } else {
        this.buffer = this.buffer.slice(this.recordStart);
        this.pos -= this.recordStart;
        this.recordStart = 0;
        return;
      }
    }
    this.buffer = this.buffer.slice(this.pos);
    this.pos = 0;
    if (this.buffer.length > this.maxRecordChars) {
      out.push(
        this.error(
          this.line,
          `markup at line ${this.line} is longer than ${this.maxRecordChars} characters; the rest of the file was not read`,
          this.buffer.slice(0, 200),
          true,
        ),
      );
      this.phase = 'stopped';
    }
  }
}

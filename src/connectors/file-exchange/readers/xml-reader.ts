import type { FileHandle } from 'node:fs/promises';
import { FileExchangeError, FileRefusal } from '../file-exchange-error.js';
import { SAMPLE_BYTES, resolveLimits, type FileLimits } from '../limits.js';
import {
  assertEncodingSupported,
  decodeFile,
  detectEncoding,
  EncodingSource,
  readSample,
  type DetectedEncoding,
} from './encoding.js';
import { truncateRaw, type ReadItem, type RecordReader } from './read-item.js';
import { parseXmlRecord } from './xml-record.js';
import { XmlRecordSplitter } from './xml-splitter.js';

export interface XmlReadOptions {
  encoding?: string;
  /** The element name of records; defaults to the first child of the root. */
  recordElement?: string;
  limits?: Partial<FileLimits>;
}

export interface XmlReader extends RecordReader {
  readonly encodingDetection: DetectedEncoding;
}

/** XML says: BOM, else the declaration's encoding, else UTF-8. No statistical guessing. */
function xmlEncoding(sample: Buffer, override: string | undefined): DetectedEncoding {
  const detected = detectEncoding(sample, override);
  if (
    detected.source === EncodingSource.override ||
    detected.source === EncodingSource.bom ||
    detected.source === EncodingSource.utf16Heuristic
  ) {
    return detected;
  }
  const head = sample.subarray(0, 200).toString('latin1');
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(head)?.[1];
  if (declared !== undefined)
    return { encoding: assertEncodingSupported(declared), source: EncodingSource.declaration };
  return { encoding: 'utf-8', source: EncodingSource.fallback };
}

/**
 * Refuses any `<!` markup other than comments and CDATA, anywhere in the file, before a single record is
 * read: no DTD means no entity expansion (billion laughs) and no external entities (XXE). Conservative on
 * purpose: the text `<!DOCTYPE` inside a comment or CDATA is refused too.
 */
export async function assertNoDtd(handle: FileHandle, encoding: string): Promise<void> {
  let carry = '';
  let line = 1;
  for await (const chunk of decodeFile(handle, encoding)) {
    const text = carry + chunk;
    let at = text.indexOf('<!');
    while (at !== -1) {
      const head = text.slice(at, at + 9);
      if (head.length < 9 && ('<!--'.startsWith(head) || '<![CDATA['.startsWith(head))) break;
      if (!head.startsWith('<!--') && !head.startsWith('<![CDATA[')) {
        const before = text.slice(0, at);
        line += before.split('\n').length - 1;
        throw new FileExchangeError(
          FileRefusal.xmlDtd,
          `XML declarations (DOCTYPE, ENTITY) are refused: found "${head.replace(/\s+/g, ' ')}" near line ${line}`,
          { line },
        );
      }
      at = text.indexOf('<!', at + 2);
    }
    const keep = Math.min(8, text.length);
    const consumed = text.slice(0, text.length - keep);
    line += consumed.split('\n').length - 1;
    carry = text.slice(text.length - keep);
  }
}

export async function openXmlReader(handle: FileHandle, options: XmlReadOptions = {}): Promise<XmlReader> {
  const limits = resolveLimits(options.limits);
  const sample = await readSample(handle, SAMPLE_BYTES);
  const detected = xmlEncoding(sample, options.encoding);
  await assertNoDtd(handle, detected.encoding);

  async function* items(): AsyncGenerator<ReadItem, void, undefined> {
    const splitter = new XmlRecordSplitter({
      maxRecordChars: limits.maxRecordChars,
      recordElement: options.recordElement,
    });
    let rows = 0;
    const chunks = decodeFile(handle, detected.encoding);
    let finished = false;
    while (!finished) {
      const next = await chunks.next();
      const pieces = next.done ? splitter.end() : splitter.push(next.value);
      finished = next.done === true || splitter.stopped;
      for (const piece of pieces) {
        if (piece.type === 'error') {
          yield { type: 'error', rowNumber: piece.line, reason: piece.reason, raw: piece.raw };
          continue;
        }
        rows += 1;
        if (rows > limits.maxRows) {
          yield {
            type: 'error',
            rowNumber: piece.line,
            reason: `row limit of ${limits.maxRows} reached (limits.maxRows); this and later rows were not read`,
            raw: truncateRaw(piece.text),
          };
          await chunks.return(undefined);
          return;
        }
        const parsed = parseXmlRecord(piece.text, limits.maxFieldChars);
        if ('reason' in parsed)
          yield { type: 'error', rowNumber: piece.line, reason: parsed.reason, raw: truncateRaw(piece.text) };
        else yield { type: 'record', rowNumber: piece.line, record: parsed.record, raw: piece.text };
      }
    }
    await chunks.return(undefined);
  }

  return { format: 'xml', encoding: detected.encoding, encodingDetection: detected, items };
}

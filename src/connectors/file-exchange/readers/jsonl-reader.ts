import type { FileHandle } from 'node:fs/promises';
import { SAMPLE_BYTES, resolveLimits, type FileLimits } from '../limits.js';
import { textProblem } from '../text-rules.js';
import { decodeFile, detectEncoding, readSample, type DetectedEncoding } from './encoding.js';
import { splitLines, type Line } from './line-splitter.js';
import { normaliseColumnName, truncateRaw, type ReadItem, type RecordReader } from './read-item.js';

export interface JsonlReadOptions {
  encoding?: string;
  limits?: Partial<FileLimits>;
}

export interface JsonlReader extends RecordReader {
  readonly encodingDetection: DetectedEncoding;
}

/**
 * Turns one JSON object into a flat text record: numbers and booleans become their JSON text, null means
 * absent, nested objects and arrays are refused (the import kinds are flat).
 */
export function flattenJsonRecord(
  value: unknown,
  maxFieldChars: number,
): { record: Record<string, string> } | { reason: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      reason: `expected a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    };
  }
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (const [key, field] of Object.entries(value)) {
    const name = normaliseColumnName(key);
    if (seen.has(name)) return { reason: `field "${name}" appears twice` };
    seen.add(name);
    if (field === null) continue;
    let text: string;
    if (typeof field === 'string') text = field;
    else if (typeof field === 'number' || typeof field === 'boolean') text = JSON.stringify(field);
    else return { reason: `field "${name}": nested values are not supported` };
    if (text.length > maxFieldChars)
      return { reason: `field "${name}" is longer than ${maxFieldChars} characters` };
    const problem = textProblem(text);
    if (problem !== undefined) return { reason: `field "${name}": ${problem}` };
    entries.push([name, text]);
  }
  // fromEntries defines own properties, so a "__proto__" key stays a plain field.
  return { record: Object.fromEntries(entries) };
}

export async function openJsonlReader(
  handle: FileHandle,
  options: JsonlReadOptions = {},
): Promise<JsonlReader> {
  const limits = resolveLimits(options.limits);
  const detected = detectEncoding(await readSample(handle, SAMPLE_BYTES), options.encoding);

  const toItem = (line: Line): ReadItem | undefined => {
    if (line.tooLong) {
      return {
        type: 'error',
        rowNumber: line.number,
        reason: `line is longer than ${limits.maxRecordChars} characters`,
        raw: truncateRaw(line.text),
      };
    }
    if (line.text.trim().length === 0) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch (error) {
      return {
        type: 'error',
        rowNumber: line.number,
        reason: `invalid JSON: ${(error as Error).message}`,
        raw: truncateRaw(line.text),
      };
    }
    const flat = flattenJsonRecord(parsed, limits.maxFieldChars);
    if ('reason' in flat)
      return { type: 'error', rowNumber: line.number, reason: flat.reason, raw: truncateRaw(line.text) };
    return { type: 'record', rowNumber: line.number, record: flat.record, raw: line.text };
  };

  async function* items(): AsyncGenerator<ReadItem, void, undefined> {
    let rows = 0;
    const lines = splitLines(decodeFile(handle, detected.encoding), { maxLineChars: limits.maxRecordChars });
    for await (const batch of lines) {
      for (const line of batch) {
        const item = toItem(line);
        if (item === undefined) continue;
        rows += 1;
        if (rows > limits.maxRows) {
          yield {
            type: 'error',
            rowNumber: line.number,
            reason: `row limit of ${limits.maxRows} reached (limits.maxRows); this and later rows were not read`,
            raw: truncateRaw(line.text),
          };
          return;
        }
        yield item;
      }
    }
  }

  return { format: 'jsonl', encoding: detected.encoding, encodingDetection: detected, items };
}

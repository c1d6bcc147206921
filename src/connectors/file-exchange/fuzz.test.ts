import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFileExchangeError } from './file-exchange-error.js';
import { ImportKind } from './import-kinds.js';
import type { ExportFormat } from './manifest.js';
import { validateRow } from './row-validation.js';
import { readAll, tempDir } from './test-support/temp-dir.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('fx-fuzz-')));
afterEach(async () => cleanup());

let counter = 0;
async function writeTemp(content: string | Uint8Array, ext: string): Promise<string> {
  counter += 1;
  const file = path.join(dir, `f${counter}.${ext}`);
  await writeFile(file, content);
  return file;
}

const limits = { maxFieldChars: 200, maxRecordChars: 2000, maxRows: 10_000 };

/** Reading must end normally or with a file-level refusal; any other throw is a crash. */
async function readNeverCrashes(file: string, format: ExportFormat): Promise<void> {
  try {
    const { items } = await readAll(file, format, { limits, expectedColumns: ['code', 'name'] });
    for (const item of items) {
      expect(item.rowNumber).toBeGreaterThan(0);
      if (item.type === 'error') expect(item.reason.length).toBeGreaterThan(0);
    }
  } catch (error) {
    if (!isFileExchangeError(error)) throw error;
  }
}

const csvishChars = fc.constantFrom(
  'a',
  'Z',
  '1',
  ',',
  ';',
  '\t',
  '|',
  '"',
  "'",
  '=',
  '\n',
  '\r',
  ' ',
  'é',
  '\0',
  '\uFFFD',
  '<',
  '>',
  '&',
);
const csvish = fc.array(csvishChars, { maxLength: 400 }).map((chars) => chars.join(''));

describe('fuzzed input never crashes a reader (R8)', () => {
  it('arbitrary bytes, as CSV, JSON Lines and XML', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        for (const format of ['csv', 'jsonl', 'xml'] as const)
          await readNeverCrashes(await writeTemp(bytes, format), format);
      }),
      { numRuns: 120 },
    );
  });

  it('CSV-shaped noise: quotes, delimiters, line breaks, NUL', async () => {
    await fc.assert(
      fc.asyncProperty(csvish, async (text) =>
        readNeverCrashes(await writeTemp(`code,name\n${text}`, 'csv'), 'csv'),
      ),
      { numRuns: 200 },
    );
  });

  it('mutated XML documents', async () => {
    const base =
      '<?xml version="1.0"?>\n<customers>\n<customer><code>C1</code><name>A &amp; B</name></customer>\n<customer><code>C2</code><name><![CDATA[x]]></name></customer>\n</customers>\n';
    const mutation = fc.record({
      at: fc.nat({ max: base.length }),
      drop: fc.nat({ max: 5 }),
      insert: fc.constantFrom(
        '',
        '<',
        '>',
        '</',
        '&',
        '"',
        '<!--',
        ']]>',
        '<customer>',
        '</customers>',
        '<?',
        '\0',
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let doc = base;
        for (const m of mutations) doc = doc.slice(0, m.at) + m.insert + doc.slice(m.at + m.drop);
        await readNeverCrashes(await writeTemp(doc, 'xml'), 'xml');
      }),
      { numRuns: 200 },
    );
  });

  it('any JSON value per line yields exactly one item per non-blank line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.json({ maxDepth: 3 }), { minLength: 1, maxLength: 20 }), async (lines) => {
        const { items } = await readAll(await writeTemp(lines.join('\n'), 'jsonl'), 'jsonl', { limits });
        expect(items).toHaveLength(lines.length);
        expect(items.map((item) => item.rowNumber)).toEqual(lines.map((_, i) => i + 1));
      }),
      { numRuns: 100 },
    );
  });
});

/** A row that must be applied, or one of the malformations every bad row is made of. */
type Row = { good: true; code: string; line: string } | { good: false; line: string };

const name = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,15}$/);
const goodRow = fc.tuple(fc.nat({ max: 99_999 }), name, fc.boolean()).map(([n, text, quoted]): Row => {
  const code = `C${n}`;
  return { good: true, code, line: quoted ? `${code},"${text}, Jr."` : `${code},${text.trim() || 'X'}` };
});
const badRow = fc.constantFrom<Row>(
  { good: false, line: 'B1' },
  { good: false, line: 'B2,' },
  { good: false, line: 'B3,"x"y' },
  { good: false, line: 'B4,a\0b' },
  { good: false, line: `B5,${'x'.repeat(300)}` },
  { good: false, line: 'bad code!,Name' },
  { good: false, line: 'B7,Name,extra' },
  { good: false, line: 'B8,"unclosed' },
  { good: false, line: 'B9,bad\uFFFDbytes' },
);

describe('never loses a good row, rejects every bad one with its row number (R8)', () => {
  it('good and malformed CSV rows interleaved', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: goodRow }, { weight: 1, arbitrary: badRow }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (rows) => {
          const file = await writeTemp(`code,name\n${rows.map((row) => row.line).join('\n')}\n`, 'csv');
          const { items } = await readAll(file, 'csv', { limits, expectedColumns: ['code', 'name'] });
          const applied: string[] = [];
          const rejected: number[] = [];
          for (const item of items) {
            if (item.type === 'error') {
              rejected.push(item.rowNumber);
              continue;
            }
            const checked = validateRow(ImportKind.customers, item.record);
            if (checked.ok && checked.row.kind === 'customers') applied.push(checked.row.record.code);
            else rejected.push(item.rowNumber);
          }
          expect(applied).toEqual(rows.flatMap((row) => (row.good ? [row.code] : [])));
          expect(rejected.sort((a, b) => a - b)).toEqual(
            rows.flatMap((row, index) => (row.good ? [] : [index + 2])),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnLayout } from './column-layout.js';
import { FORMULA_TRIGGERS, strictDecimalPattern } from './csv-cell.js';
import type { ExportFormat } from './manifest.js';
import { textProblem, xmlTextProblem } from './text-rules.js';
import { readAll, recordsOf, errorsOf, tempDir } from './test-support/temp-dir.js';
import { exportRecords } from './writers/export-records.js';

const layout: ColumnLayout = [
  { field: 'a', header: 'col_a' },
  { field: 'b', header: 'col_b' },
  { field: 'n', header: 'amount', numeric: true },
];

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** Text any format must carry: full Unicode incl. control characters, quotes, delimiters, line breaks. */
const anyText = fc
  .string({ unit: 'binary', maxLength: 30 })
  .filter((value) => textProblem(value) === undefined);
const xmlText = anyText.filter((value) => xmlTextProblem(value) === undefined);
const trickyText = fc.oneof(
  anyText,
  fc.constantFrom(
    '=1+1',
    '+1',
    '-1',
    '@SUM(A1)',
    '\tx',
    '\rx',
    "'=x",
    "'",
    "''",
    '"',
    '","',
    '\r\n',
    '\n',
    ' lead',
    'trail ',
    '-3.5',
    '0042',
    '',
  ),
);

function recordArb(text: fc.Arbitrary<string>) {
  return fc.record({
    a: fc.oneof(
      text,
      trickyText.filter((v) => xmlTextProblem(v) === undefined),
    ),
    b: text,
    n: fc.oneof(fc.constantFrom('-3.5', '12', '-0', '7.000'), text),
  });
}

async function roundTrip(
  format: ExportFormat,
  records: Record<string, string>[],
): Promise<Record<string, string>[]> {
  const { path, manifest } = await exportRecords({ dir, flow: 'round-trip', format, layout, records });
  expect(manifest.records).toBe(records.length);
  const { items } = await readAll(path, format, { header: true });
  expect(errorsOf(items)).toEqual([]);
  return recordsOf(items);
}

const expected = (records: Record<string, string>[]) =>
  records.map((r) => ({ col_a: r.a, col_b: r.b, amount: r.n }));

describe('export then import gives the same records', () => {
  it('CSV (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb(anyText), { minLength: 1, maxLength: 20 }), async (records) => {
        expect(await roundTrip('csv', records)).toEqual(expected(records));
      }),
      { numRuns: 60 },
    );
  });

  it('JSON Lines (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb(anyText), { minLength: 1, maxLength: 20 }), async (records) => {
        expect(await roundTrip('jsonl', records)).toEqual(expected(records));
      }),
      { numRuns: 60 },
    );
  });

  it('XML (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb(xmlText), { minLength: 1, maxLength: 20 }), async (records) => {
        expect(await roundTrip('xml', records)).toEqual(expected(records));
      }),
      { numRuns: 60 },
    );
  });
});

describe('R15: exported CSV cells never start with a formula trigger', () => {
  it('holds for every cell an independent parser sees (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb(anyText), { minLength: 1, maxLength: 20 }), async (records) => {
        const { path } = await exportRecords({ dir, flow: 'r15', format: 'csv', layout, records });
        const rows = parse(await readFile(path, 'utf8'), { relax_column_count: false }) as string[][];
        expect(rows).toHaveLength(records.length + 1);
        rows.forEach((row) =>
          row.forEach((cell, column) => {
            const first = cell[0];
            if (first === undefined || !FORMULA_TRIGGERS.has(first)) return;
            // The only exemption: a strict decimal numeral in a column declared numeric (e.g. -3.5).
            expect(layout[column]?.numeric === true && strictDecimalPattern.test(cell)).toBe(true);
          }),
        );
      }),
      { numRuns: 80 },
    );
  });

  it('neutralises the classic payloads', async () => {
    const payloads = ['=HYPERLINK("http://x","y")', '+cmd|/C calc!A0', '-2+3', '@SUM(1)', '\t=1', '\r=1'];
    const { path } = await exportRecords({
      dir,
      flow: 'r15',
      format: 'csv',
      layout,
      records: payloads.map((a) => ({ a, b: 'x', n: a })),
    });
    const rows = parse(await readFile(path, 'utf8')) as string[][];
    for (const row of rows.slice(1)) {
      expect(row[0]?.startsWith("'")).toBe(true);
      expect(row[2]?.startsWith("'")).toBe(true);
    }
  });
});

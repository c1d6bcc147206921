import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorsOf, readAll, recordsOf, tempDir } from '../test-support/temp-dir.js';
import { detectDelimiter, looksLikeHeader } from './csv-sniff.js';
import { detectEncoding } from './encoding.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('fx-readers-')));
afterEach(async () => cleanup());

async function file(name: string, content: string | Buffer): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, content);
  return target;
}

describe('CSV reader', () => {
  it('detects the delimiter among , ; tab | and ignores delimiters inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n"1,5";2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b\n"x|y"|2\n')).toBe('|');
    expect(detectDelimiter('"Smith, John";x\n"Doe, Jane";y\n')).toBe(';');
    expect(detectDelimiter('single\ncolumn\n')).toBe(',');
  });

  it('recognises a header by the expected columns, or by its shape', () => {
    expect(looksLikeHeader(['Code', 'Name', 'Unknown'], ['code', 'name'])).toBe(true);
    expect(looksLikeHeader(['C1', 'Ada'], ['code', 'name'])).toBe(false);
    expect(looksLikeHeader(['sku', 'quantity'])).toBe(true);
    expect(looksLikeHeader(['SKU-1', '12'])).toBe(false);
    expect(looksLikeHeader(['a', 'a'])).toBe(false);
  });

  it('detects encodings: BOM, UTF-8, UTF-16 without BOM, legacy; an override wins', () => {
    expect(detectEncoding(Buffer.from('\uFEFFa,b', 'utf8')).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('plain ascii', 'utf8'))).toEqual({ encoding: 'utf-8', source: 'utf8' });
    expect(detectEncoding(Buffer.from('code,name\nC1,Ada\n', 'utf16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('Müller;Köln;Gießen;Françoise\n'.repeat(20), 'latin1')).source).toBe(
      'chardet',
    );
    expect(detectEncoding(Buffer.from('abc'), 'ISO-8859-15')).toEqual({
      encoding: 'iso-8859-15',
      source: 'override',
    });
    expect(() => detectEncoding(Buffer.from('abc'), 'no-such-encoding')).toThrow(/not supported/);
  });

  it('rejects a row whose bytes are invalid in the detected encoding (past the sample)', async () => {
    const good = 'C1,Ada\n'.repeat(10_000);
    const target = await file(
      'c.csv',
      Buffer.concat([
        Buffer.from(`code,name\n${good}`),
        Buffer.from([0x43, 0x32, 0x2c, 0xff, 0xfe, 0x0a]),
        Buffer.from('C3,Ok\n'),
      ]),
    );
    const { items, reader } = await readAll(target, 'csv');
    expect(reader.encoding).toBe('utf-8');
    expect(recordsOf(items)).toHaveLength(10_001);
    expect(errorsOf(items)).toEqual([{ rowNumber: 10_002, reason: expect.stringContaining('U+FFFD') }]);
  });

  it('refuses a huge field and goes on with the next rows, in bounded memory', async () => {
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const target = await file('c.csv', `code,name\nC1,${huge}\nC2,"${huge}"\nC3,Ok\n`);
    const { items } = await readAll(target, 'csv', {
      limits: { maxFieldChars: 1000, maxRecordChars: 100_000 },
    });
    expect(recordsOf(items)).toEqual([{ code: 'C3', name: 'Ok' }]);
    expect(errorsOf(items).map((error) => error.rowNumber)).toEqual([2, 3]);
    expect(errorsOf(items)[0]?.reason).toMatch(/longer than 100000 characters/);
  });

  it('recovers after an unclosed quote that runs into the record limit', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `C${i},Name ${i}`).join('\n');
    const target = await file('c.csv', `code,name\nX1,"never closed\n${rows}\n`);
    const { items } = await readAll(target, 'csv', { limits: { maxRecordChars: 2000 } });
    expect(errorsOf(items)).toEqual([{ rowNumber: 2, reason: expect.stringMatching(/longer than 2000/) }]);
    expect(recordsOf(items)).toHaveLength(500);
  });

  it('stops at the row limit with one clear reject', async () => {
    const target = await file('c.csv', `code,name\n${'C1,Ada\n'.repeat(50)}`);
    const { items } = await readAll(target, 'csv', { limits: { maxRows: 10 } });
    expect(recordsOf(items)).toHaveLength(10);
    expect(errorsOf(items)).toEqual([
      {
        rowNumber: 12,
        reason: 'row limit of 10 reached (limits.maxRows); this and later rows were not read',
      },
    ]);
  });

  it('refuses a file lacking required columns before reading rows', async () => {
    const target = await file('c.csv', 'code,city\nC1,Berlin\n');
    await expect(
      readAll(target, 'csv', {
        expectedColumns: ['code', 'name', 'city'],
        requiredColumns: ['code', 'name'],
      }),
    ).rejects.toMatchObject({
      reason: 'missing_columns',
      message: 'the file lacks required columns: name',
    });
  });
});

describe('JSON Lines reader', () => {
  it('bounds line length and keeps going', async () => {
    const target = await file('c.jsonl', `{"code":"C1"}\n{"code":"${'x'.repeat(500_000)}"}\n{"code":"C3"}\n`);
    const { items } = await readAll(target, 'jsonl', { limits: { maxRecordChars: 10_000 } });
    expect(recordsOf(items)).toEqual([{ code: 'C1' }, { code: 'C3' }]);
    expect(errorsOf(items)).toEqual([{ rowNumber: 2, reason: 'line is longer than 10000 characters' }]);
  });

  it('keeps a "__proto__" key as data, never as a prototype', async () => {
    const target = await file('c.jsonl', '{"code":"C1","__proto__":"x","constructor":"y"}\n');
    const { items } = await readAll(target, 'jsonl');
    const record = recordsOf(items)[0] as Record<string, string>;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(['code', '__proto__', 'constructor']);
  });
});

describe('XML reader', () => {
  it('skips an oversize record without keeping it and reads the next ones', async () => {
    const target = await file(
      'c.xml',
      `<rows><row><code>C1</code></row><row><code>${'x'.repeat(2_000_000)}</code></row><row><code>C3</code></row></rows>`,
    );
    const { items } = await readAll(target, 'xml', { limits: { maxRecordChars: 50_000 } });
    expect(recordsOf(items)).toEqual([{ code: 'C1' }, { code: 'C3' }]);
    expect(errorsOf(items)).toEqual([{ rowNumber: 1, reason: 'record is longer than 50000 characters' }]);
  });

  it('reports a missing root end and unexpected elements but keeps the good records', async () => {
    const target = await file(
      'c.xml',
      '<rows>\n<row><code>C1</code></row>\n<other/>\n<row><code>C2</code></row>\n',
    );
    const { items } = await readAll(target, 'xml');
    expect(recordsOf(items)).toEqual([{ code: 'C1' }, { code: 'C2' }]);
    expect(errorsOf(items).map((error) => error.rowNumber)).toEqual([3, 5]);
  });

  it('refuses DOCTYPE in any case and position, before reading any record', async () => {
    for (const doc of [
      '<!DOCTYPE r><r/>',
      '<r><row><a>1</a></row>\n<!doctype r></r>',
      '<r><!ENTITY x "y"></r>',
      '<r><![CDATA[x]]><!ATTLIST r a CDATA #IMPLIED></r>',
    ]) {
      const target = await file('c.xml', doc);
      await expect(readAll(target, 'xml')).rejects.toMatchObject({ reason: 'xml_dtd' });
    }
  });

  it('honours UTF-16 and the declared encoding', async () => {
    const utf16 = await file(
      'a.xml',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('<r><row><name>Zoë</name></row></r>', 'utf16le'),
      ]),
    );
    expect(recordsOf((await readAll(utf16, 'xml')).items)).toEqual([{ name: 'Zoë' }]);
    const latin = await file(
      'b.xml',
      Buffer.from(
        '<?xml version="1.0" encoding="windows-1252"?><r><row><name>Müller €</name></row></r>',
        'latin1',
      ),
    );
    const { items } = await readAll(latin, 'xml');
    expect(recordsOf(items)[0]?.name?.startsWith('Müller')).toBe(true);
  });
});

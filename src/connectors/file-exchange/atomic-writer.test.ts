import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtomicFile } from './atomic-file.js';
import { openExportFile } from './atomic-writer.js';
import { FileExchangeError } from './file-exchange-error.js';
import { exportFileName, parseExportFileName } from './file-naming.js';
import { tempDir } from './test-support/temp-dir.js';
import { exportRecords } from './writers/export-records.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('fx-atomic-')));
afterEach(async () => cleanup());

const layout = [
  { field: 'sku', header: 'sku' },
  { field: 'qty', header: 'quantity', numeric: true },
];

describe('atomic export files', () => {
  it('are invisible under their final name until committed, then come with a true manifest', async () => {
    const at = new Date('2026-11-26T23:30:00.123Z');
    const file = await openExportFile({
      dir,
      flow: 'stock-movements',
      format: 'csv',
      seq: 7,
      clock: () => at,
    });
    expect(file.name).toBe('20261126T233000123Z_stock-movements_000007.csv');
    await file.write('sku,quantity\r\n');
    await file.write('A,-1\r\n');
    file.addRecords(1);
    const visible = await readdir(dir);
    expect(visible).toHaveLength(1);
    expect(visible[0]).toMatch(/^\.20261126T233000123Z_stock-movements_000007\.csv\.[0-9a-f]{12}\.tmp$/);
    const manifest = await file.commit();
    const data = await readFile(path.join(dir, file.name));
    expect(manifest).toEqual({
      file: file.name,
      records: 1,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
      createdAt: '2026-11-26T23:30:00.123Z',
      flow: 'stock-movements',
      format: 'csv',
      schemaVersion: 1,
    });
    expect(JSON.parse(await readFile(path.join(dir, `${file.name}.manifest.json`), 'utf8'))).toEqual(
      manifest,
    );
    expect((await readdir(dir)).sort()).toEqual([file.name, `${file.name}.manifest.json`]);
  });

  it('leave nothing behind when aborted or when a record cannot be written', async () => {
    const file = await openExportFile({ dir, flow: 'x', format: 'csv' });
    await file.write('partial');
    await file.abort();
    expect(await readdir(dir)).toEqual([]);

    const failing = exportRecords({
      dir,
      flow: 'x',
      format: 'csv',
      layout,
      records: [
        { sku: 'A', qty: '1' },
        { sku: { nested: true }, qty: '2' },
      ],
    });
    await expect(failing).rejects.toMatchObject({
      reason: 'unrepresentable_value',
      detail: { recordIndex: 1 },
    });
    await expect(
      exportRecords({ dir, flow: 'x', format: 'xml', layout, records: [{ sku: 'bell\u0007', qty: '1' }] }),
    ).rejects.toBeInstanceOf(FileExchangeError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never replace an existing file', async () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    await exportRecords({
      dir,
      flow: 'x',
      format: 'jsonl',
      layout,
      records: [{ sku: 'A', qty: '1' }],
      seq: 1,
      clock: () => at,
    });
    const second = exportRecords({
      dir,
      flow: 'x',
      format: 'jsonl',
      layout,
      records: [{ sku: 'B', qty: '1' }],
      seq: 1,
      clock: () => at,
    });
    await expect(second).rejects.toMatchObject({ reason: 'exists' });
    expect(await readFile(path.join(dir, '20260101T000000000Z_x_000001.jsonl'), 'utf8')).toBe(
      '{"sku":"A","quantity":"1"}\n',
    );
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('name files so that they sort by time', () => {
    const names = [
      exportFileName({ at: new Date('2026-11-26T23:30:00.123Z'), flow: 'a', seq: 2, ext: 'csv' }),
      exportFileName({ at: new Date('2026-11-26T23:30:00.123Z'), flow: 'a', seq: 10, ext: 'csv' }),
      exportFileName({ at: new Date('2026-11-27T00:00:00.000Z'), flow: 'a', seq: 1, ext: 'csv' }),
      exportFileName({ at: new Date('2027-01-01T00:00:00.000Z'), flow: 'a', seq: 1, ext: 'csv' }),
    ];
    expect([...names].sort()).toEqual(names);
    expect(parseExportFileName(names[1] as string)).toEqual({
      stamp: '20261126T233000123Z',
      flow: 'a',
      seq: 10,
      ext: 'csv',
    });
    expect(() => exportFileName({ at: new Date(), flow: '../x', seq: 1, ext: 'csv' })).toThrow(
      FileExchangeError,
    );
    expect(() => exportFileName({ at: new Date(), flow: 'a_b', seq: 1, ext: 'csv' })).toThrow(
      FileExchangeError,
    );
  });

  it('publish a plain atomic file without clobbering unless allowed', async () => {
    const target = path.join(dir, 'report.csv');
    await writeFile(target, 'old');
    const refused = await createAtomicFile(target);
    await refused.write('new');
    await expect(refused.commit()).rejects.toMatchObject({ reason: 'exists' });
    const replacing = await createAtomicFile(target, { noClobber: false });
    await replacing.write('new');
    expect(await replacing.commit()).toMatchObject({ bytes: 3 });
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['report.csv']);
  });
});

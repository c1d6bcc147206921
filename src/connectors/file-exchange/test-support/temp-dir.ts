import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ReadItem, RecordReader } from '../readers/read-item.js';
import { openRecordReader, type OpenReaderOptions } from '../readers/open-reader.js';
import type { ExportFormat } from '../manifest.js';

/** A fresh temporary folder per test; removed by the returned cleanup. */
export async function tempDir(prefix = 'fx-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Reads a whole file with the reader of its format and collects the items. */
export async function readAll(
  file: string,
  format: ExportFormat,
  options: OpenReaderOptions = {},
): Promise<{ items: ReadItem[]; reader: RecordReader }> {
  const handle = await open(file, 'r');
  try {
    const reader = await openRecordReader(format, handle, options);
    const items: ReadItem[] = [];
    for await (const item of reader.items()) items.push(item);
    return { items, reader };
  } finally {
    await handle.close();
  }
}

export function recordsOf(items: readonly ReadItem[]): Record<string, string>[] {
  return items.flatMap((item) => (item.type === 'record' ? [item.record] : []));
}

export function errorsOf(items: readonly ReadItem[]): { rowNumber: number; reason: string }[] {
  return items.flatMap((item) =>
    item.type === 'error' ? [{ rowNumber: item.rowNumber, reason: item.reason }] : [],
  );
}

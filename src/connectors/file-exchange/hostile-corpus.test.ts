import { copyFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInboundFolders, InboundFolder, type FileOutcome } from './inbound-folder.js';
import { InMemoryProcessedFileStore } from './processed-file-store.js';
import { collectingApply, keyOf } from './test-support/collecting-apply.js';
import { tempDir } from './test-support/temp-dir.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/files');

interface Expectation {
  status: 'imported' | 'quarantined';
  reason?: string;
  applied?: string[];
  rejectedRows?: number[];
  values?: Record<string, Record<string, string>>;
}

const corpus = JSON.parse(await readFile(path.join(fixtures, 'corpus.json'), 'utf8')) as Record<
  string,
  Expectation | string
>;
const cases = Object.entries(corpus).filter(
  (entry): entry is [string, Expectation] => !entry[0].startsWith('$'),
);

describe('hostile and malformed file corpus (R8, R16)', () => {
  let cleanup: () => Promise<void>;
  let outcomes: Map<string, FileOutcome>;
  let collected: ReturnType<typeof collectingApply>;
  let archive: string;
  let quarantine: string;

  beforeAll(async () => {
    const temp = await tempDir('fx-corpus-');
    cleanup = temp.cleanup;
    const folders = await ensureInboundFolders(temp.dir);
    ({ archive, quarantine } = folders);
    for (const name of await readdir(path.join(fixtures, 'corpus'))) {
      await copyFile(path.join(fixtures, 'corpus', name), path.join(folders.inbox, name));
    }
    collected = collectingApply();
    const folder = new InboundFolder({
      ...folders,
      store: new InMemoryProcessedFileStore(),
      apply: collected.apply,
    });
    const first = await folder.poll();
    expect(first.outcomes).toEqual([]);
    const second = await folder.poll();
    outcomes = new Map(second.outcomes.map((outcome) => [outcome.fileName, outcome]));
    expect(await readdir(folders.inbox)).toEqual([]);
  });
  afterAll(async () => cleanup());

  it('covers every fixture file', async () => {
    const files = (await readdir(path.join(fixtures, 'corpus'))).filter(
      (name) => !name.endsWith('.manifest.json'),
    );
    expect(files.sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it.each(cases)('%s', async (name, expected) => {
    const outcome = outcomes.get(name);
    expect(outcome, `no outcome for ${name}`).toBeDefined();
    expect(outcome?.status).toBe(expected.status);
    if (expected.status === 'quarantined') {
      expect(outcome?.reason).toBe(expected.reason);
      const base = path.basename(outcome?.movedTo ?? '');
      const reason = JSON.parse(await readFile(path.join(quarantine, `${base}.reason.json`), 'utf8')) as {
        reason: string;
        message: string;
      };
      expect(reason.reason).toBe(expected.reason);
      expect(reason.message.length).toBeGreaterThan(10);
      expect(collected.byFile.get(name)).toBeUndefined();
      return;
    }
    const applied = (collected.byFile.get(name) ?? []).map(({ row }) => keyOf(row));
    expect(applied).toEqual(expected.applied);
    for (const [key, fields] of Object.entries(expected.values ?? {})) {
      const entry = collected.byFile.get(name)?.find(({ row }) => keyOf(row) === key);
      expect(entry?.row.record).toMatchObject(fields);
    }
    expect(outcome?.applied).toBe(expected.applied?.length);
    expect(outcome?.rejected).toBe(expected.rejectedRows?.length);
    expect(path.dirname(outcome?.movedTo ?? '')).toBe(archive);
    if ((expected.rejectedRows ?? []).length === 0) {
      expect(outcome?.rejectsFile).toBeUndefined();
      return;
    }
    const rows = parse(await readFile(outcome?.rejectsFile ?? '', 'utf8'), { columns: true }) as {
      row_number: string;
      reason: string;
      raw: string;
    }[];
    expect(rows.map((row) => Number(row.row_number))).toEqual(expected.rejectedRows);
    for (const row of rows) expect(row.reason.length).toBeGreaterThan(3);
  });
});

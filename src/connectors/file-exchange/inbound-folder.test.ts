import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, AppErrorCode } from '../../shared/errors/index.js';
import type { ApplyRow } from './inbound/apply-row.js';
import {
  ensureInboundFolders,
  InboundFolder,
  type InboundFolderOptions,
  type InboundFolders,
} from './inbound-folder.js';
import { InMemoryProcessedFileStore } from './processed-file-store.js';
import { collectingApply, keyOf } from './test-support/collecting-apply.js';
import { tempDir } from './test-support/temp-dir.js';

let root: string;
let cleanup: () => Promise<void>;
let folders: InboundFolders;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir('fx-inbound-'));
  folders = await ensureInboundFolders(path.join(root, 'exchange'));
});
afterEach(async () => cleanup());

function folderWith(options: Partial<InboundFolderOptions> = {}) {
  const collected = collectingApply();
  const store = new InMemoryProcessedFileStore();
  const folder = new InboundFolder({ ...folders, store, apply: collected.apply, ...options });
  return { folder, store, collected };
}

const customersCsv = 'code,name\nC1,Ada\nC2,Grace\n';

describe('InboundFolder', () => {
  it('takes a file only once it stops changing, never a partly written one', async () => {
    const { folder, collected } = folderWith();
    const file = path.join(folders.inbox, 'customers.csv');
    await writeFile(file, 'code,name\nC1,Ada\nC2,Gr');
    expect((await folder.poll()).waiting).toEqual(['customers.csv']);
    for (let i = 0; i < 5; i += 1) {
      // The producer keeps writing between polls: the file is never taken.
      await appendFile(file, `a\nC${i + 3},Name ${i}\nC${i + 10},Gr`);
      const report = await folder.poll();
      expect(report.outcomes).toEqual([]);
      expect(report.waiting).toEqual(['customers.csv']);
    }
    expect(collected.byFile.size).toBe(0);
    await appendFile(file, 'ace\n');
    const expectedKeys = (await readFile(file, 'utf8'))
      .split('\n')
      .slice(1, -1)
      .map((line) => line.split(',')[0]);
    expect(expectedKeys).toHaveLength(12);
    expect((await folder.poll()).outcomes).toEqual([]);
    const report = await folder.poll();
    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(['imported']);
    expect(collected.byFile.get('customers.csv')?.map(({ row }) => keyOf(row))).toEqual(expectedKeys);
  });

  it('ignores temporary and companion names', async () => {
    const { folder } = folderWith();
    for (const name of [
      '.customers.csv.abc.tmp',
      'customers.csv.part',
      'customers.csv.partial',
      '~lock.customers.csv',
      'customers.csv.crdownload',
    ]) {
      await writeFile(path.join(folders.inbox, name), customersCsv);
    }
    await folder.poll();
    const report = await folder.poll();
    expect(report).toEqual({ outcomes: [], waiting: [] });
    expect((await readdir(folders.inbox)).length).toBe(5);
  });

  it('re-dropping the same content is a no-op, under any name', async () => {
    const { folder, collected, store } = folderWith();
    await writeFile(path.join(folders.inbox, 'customers-a.csv'), customersCsv);
    await folder.poll();
    const first = await folder.poll();
    expect(first.outcomes[0]?.status).toBe('imported');
    expect(store.entries.size).toBe(1);

    await writeFile(path.join(folders.inbox, 'customers-a.csv'), customersCsv);
    await writeFile(path.join(folders.inbox, 'customers-b.csv'), customersCsv);
    await folder.poll();
    const again = await folder.poll();
    expect(again.outcomes.map((outcome) => outcome.status)).toEqual(['duplicate', 'duplicate']);
    expect(collected.byFile.get('customers-a.csv')).toHaveLength(2);
    expect(collected.byFile.get('customers-b.csv')).toBeUndefined();
    expect(await readdir(folders.inbox)).toEqual([]);
    expect((await readdir(folders.archive)).filter((name) => name.endsWith('customers-a.csv'))).toHaveLength(
      2,
    );
  });

  it('keeps the file for a later poll when the domain is unavailable, and applies it then', async () => {
    let down = true;
    const applied: string[] = [];
    const apply: ApplyRow = async (row) => {
      if (down && keyOf(row) === 'C2') throw new Error('database is down');
      applied.push(keyOf(row));
    };
    const { folder, store } = folderWith({ apply });
    await writeFile(path.join(folders.inbox, 'customers.csv'), customersCsv);
    await folder.poll();
    const failed = await folder.poll();
    expect(failed.outcomes[0]).toMatchObject({ status: 'deferred', applied: 1, message: 'database is down' });
    expect(await readdir(folders.inbox)).toEqual(['customers.csv']);
    expect(await readdir(folders.archive)).toEqual([]);
    expect(store.entries.size).toBe(0);

    down = false;
    await folder.poll();
    const retried = await folder.poll();
    expect(retried.outcomes[0]).toMatchObject({ status: 'imported', applied: 2, rejected: 0 });
    // The row applied before the failure is applied again: apply callbacks must be idempotent.
    expect(applied).toEqual(['C1', 'C1', 'C2']);
  });

  it('rejects a row the domain refuses and goes on with the file', async () => {
    const apply: ApplyRow = async (row) => {
      if (keyOf(row) === 'C1') throw new AppError(AppErrorCode.conflict, 'customer C1 is owned by the ERP');
    };
    const { folder } = folderWith({ apply });
    await writeFile(path.join(folders.inbox, 'customers.csv'), 'code,name\nC1,Ada\n=cmd|x,Bad code\nC3,Ok\n');
    await folder.poll();
    const { outcomes } = await folder.poll();
    expect(outcomes[0]).toMatchObject({ status: 'imported', applied: 1, rejected: 2 });
    const rejectsText = await readFile(outcomes[0]?.rejectsFile ?? '', 'utf8');
    const rows = parse(rejectsText, { columns: true }) as {
      row_number: string;
      reason: string;
      raw: string;
    }[];
    expect(rows.map((row) => row.row_number)).toEqual(['2', '3']);
    expect(rows[0]?.reason).toContain('owned by the ERP');
    expect(rows[1]?.reason).toContain('code:');
    // The rejects file is opened by people: the hostile raw row is neutralised there too.
    expect(rows[1]?.raw).toBe("'=cmd|x,Bad code");
    expect(path.dirname(outcomes[0]?.rejectsFile ?? '')).toBe(folders.archive);
  });

  it('quarantines symlinks, FIFOs and oversize files without touching anything outside (R16)', async () => {
    const outside = path.join(root, 'outside');
    await mkdir(outside);
    const secret = path.join(outside, 'customers-secret.csv');
    await writeFile(secret, customersCsv);
    const secretBefore = await stat(secret);
    await symlink(secret, path.join(folders.inbox, 'customers-link.csv'));
    await symlink(outside, path.join(folders.inbox, 'customers-dir-link'));
    execFileSync('mkfifo', [path.join(folders.inbox, 'customers-fifo.csv')]);
    await writeFile(path.join(folders.inbox, 'customers-big.csv'), `${customersCsv}${'C9,x\n'.repeat(100)}`);

    const { folder, collected } = folderWith({ limits: { maxFileBytes: 200 } });
    // Links and special files are quarantined on sight; regular files after the stability check.
    const first = await folder.poll();
    expect(first.outcomes.map((outcome) => outcome.fileName).sort()).toEqual([
      'customers-dir-link',
      'customers-fifo.csv',
      'customers-link.csv',
    ]);
    const outcomes = [...first.outcomes, ...(await folder.poll()).outcomes];
    const byName = new Map(outcomes.map((outcome) => [outcome.fileName, outcome]));
    expect(byName.get('customers-link.csv')).toMatchObject({ status: 'quarantined', reason: 'symlink' });
    expect(byName.get('customers-dir-link')).toMatchObject({ status: 'quarantined', reason: 'symlink' });
    expect(byName.get('customers-fifo.csv')).toMatchObject({
      status: 'quarantined',
      reason: 'not_regular_file',
    });
    const big = byName.get('customers-big.csv');
    expect(big).toMatchObject({ status: 'quarantined', reason: 'too_large' });
    expect(big?.message).toMatch(/over the 200 B limit \(limits\.maxFileBytes\)/);
    expect(collected.byFile.size).toBe(0);
    expect(await readdir(outside)).toEqual(['customers-secret.csv']);
    const secretAfter = await stat(secret);
    expect(secretAfter.mtimeMs).toBe(secretBefore.mtimeMs);
    expect(await readFile(secret, 'utf8')).toBe(customersCsv);
    expect((await readdir(folders.quarantine)).filter((name) => name.endsWith('.reason.json'))).toHaveLength(
      4,
    );
  });

  it('waits for a manifest when asked to, and takes the file with it', async () => {
    const { folder, collected } = folderWith({ requireManifest: true });
    await writeFile(path.join(folders.inbox, 'customers.csv'), customersCsv);
    await folder.poll();
    expect((await folder.poll()).waiting).toEqual(['customers.csv']);
    await writeFile(
      path.join(folders.inbox, 'customers.csv.manifest.json'),
      JSON.stringify({ file: 'customers.csv', records: 2 }),
    );
    const { outcomes } = await folder.poll();
    expect(outcomes[0]?.status).toBe('imported');
    expect(collected.byFile.get('customers.csv')).toHaveLength(2);
    const archived = await readdir(folders.archive);
    expect(archived.some((name) => name.endsWith('customers.csv.manifest.json'))).toBe(true);
  });

  it('passes operator overrides to the reader', async () => {
    const { folder, collected } = folderWith({
      overridesFor: () => ({ header: false, columns: ['name', 'code'], delimiter: ';' }),
    });
    await writeFile(path.join(folders.inbox, 'customers.csv'), 'Ada;C1\nGrace;C2\n');
    await folder.poll();
    await folder.poll();
    expect(collected.byFile.get('customers.csv')?.map(({ row }) => row.record)).toEqual([
      { code: 'C1', name: 'Ada' },
      { code: 'C2', name: 'Grace' },
    ]);
  });

  it('passes a stable idempotency context with each row', async () => {
    const { folder, collected } = folderWith();
    await writeFile(path.join(folders.inbox, 'customers.csv'), customersCsv);
    await folder.poll();
    const { outcomes } = await folder.poll();
    expect(collected.byFile.get('customers.csv')?.map(({ context }) => context)).toEqual([
      { fileName: 'customers.csv', sha256: outcomes[0]?.sha256, rowNumber: 2 },
      { fileName: 'customers.csv', sha256: outcomes[0]?.sha256, rowNumber: 3 },
    ]);
  });
});

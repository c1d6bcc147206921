import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ImportRunner, pruneImports } from '../../src/imports/index.js';
import { getJob } from '../../src/imports/job-store.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { memoryLog } from '../support/test-hub.js';
import { waitFor } from '../sync/sync-fixture.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'fs-import-retention-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function body(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

describeEachEngine('imports: bounded rejects and retention', (db, engine) => {
  const dir = path.join(root, engine);
  const runner = () =>
    new ImportRunner({
      db: db().db,
      dir,
      logger: createLogger('error', memoryLog().stream),
      maxBytes: 50_000_000,
    });
  const importCsv = async (fileName: string, csv: string) => {
    const r = runner();
    await r.start();
    const job = await r.accept({
      body: body(csv),
      fileName,
      kind: 'customers',
      format: 'csv',
      requestedBy: 'test',
    });
    await waitFor(
      async () => !['queued', 'running'].includes((await getJob(db().db, job.id)).status),
      120_000,
      `${fileName} to finish`,
    );
    await r.stop();
    return getJob(db().db, job.id);
  };
  const storedRejects = async (jobId: string) =>
    Number(
      (
        await db()
          .db.selectFrom('import_rejects')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('job_id', '=', jobId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('keeps the first 10,000 rejected rows of a job and counts the rest, saying so', async () => {
    const bad = Array.from({ length: 10_050 }, (_, i) => `CAP-${i},`);
    const job = await importCsv('customers-cap.csv', `code,name\nCAP-GOOD,Good\n${bad.join('\n')}\n`);
    expect(job).toMatchObject({ status: 'completed', applied: 1, rejected: 10_050, rejectsKept: 10_000 });
    expect(await storedRejects(job.id)).toBe(10_000);
    const first = await db()
      .db.selectFrom('import_rejects')
      .select('row_number')
      .where('job_id', '=', job.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(Number(first.row_number)).toBe(3);
  });

  it('prunes the rejects and upload of jobs finished longer ago than the days kept, and old orphan uploads', async () => {
    const old = await importCsv('customers-old.csv', 'code,name\nOLD-1,\nOLD-2,Old\n');
    const recent = await importCsv('customers-recent.csv', 'code,name\nNEW-1,\nNEW-2,New\n');
    expect([old.rejectsKept, recent.rejectsKept]).toEqual([1, 1]);
    const twentyDaysAgo = new Date(Date.now() - 20 * 86_400_000);
    await db()
      .db.updateTable('import_jobs')
      .set({ finished_at: twentyDaysAgo.toISOString() })
      .where('id', '=', old.id)
      .execute();
    // An upload whose job row never committed, long ago, and one from a moment ago (still arriving).
    writeFileSync(path.join(dir, 'orphan-old'), 'x');
    utimesSync(path.join(dir, 'orphan-old'), twentyDaysAgo, twentyDaysAgo);
    writeFileSync(path.join(dir, 'orphan-new'), 'x');

    const pruned = await pruneImports({ db: db().db, dir, keepDays: 14 });
    expect(pruned).toMatchObject({ rejects: 1, uploads: 2 });
    expect(await storedRejects(old.id)).toBe(0);
    expect(await getJob(db().db, old.id)).toMatchObject({
      status: 'completed',
      rejected: 1,
      rejectsKept: 0,
      prunedAt: expect.any(String),
    });
    expect(await storedRejects(recent.id)).toBe(1);
    expect((await getJob(db().db, recent.id)).prunedAt).toBeNull();
    const files = readdirSync(dir);
    expect(files).not.toContain(old.id);
    expect(files).not.toContain('orphan-old');
    expect(files).toEqual(expect.arrayContaining([recent.id, 'orphan-new', '.folder-id']));
    // Nothing more to do the second time.
    expect(await pruneImports({ db: db().db, dir, keepDays: 14 })).toEqual({
      jobs: 0,
      rejects: 0,
      uploads: 0,
    });
  });
});

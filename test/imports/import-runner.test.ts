import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { ImportRunner } from '../../src/imports/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { memoryLog } from '../support/test-hub.js';
import { waitFor } from '../sync/sync-fixture.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fs-import-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rows = 800;

function body(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

describeEachEngine('import runner: stop and resume', (db, engine) => {
  it('a hub stopped mid-import leaves the job unfinished; the next start finishes it, nothing lost or doubled', async () => {
    const logger = createLogger('error', memoryLog().stream);
    const options = {
      db: db().db,
      dir: path.join(dir, engine),
      logger,
      maxBytes: 10_000_000,
      progressEveryMs: 20,
    };
    const csv = `code,name\n${Array.from({ length: rows }, (_, i) => `R-${i},Resumed ${i}`).join('\n')}\n`;
    const first = new ImportRunner(options);
    await first.start();
    const job = await first.accept({
      body: body(csv),
      fileName: 'customers-resume.csv',
      kind: 'customers',
      format: 'csv',
      requestedBy: 'test',
    });
    const read = () =>
      db().db.selectFrom('import_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    await waitFor(async () => Number((await read()).applied) > 0, 30_000, 'the first rows to be applied');
    await first.stop();
    const halted = await read();
    expect(halted.status).toBe('running');
    expect(Number(halted.applied)).toBeGreaterThan(0);
    expect(Number(halted.applied)).toBeLessThan(rows);

    const second = new ImportRunner(options);
    await second.start();
    await waitFor(
      async () => (await read()).status === 'completed',
      60_000,
      'the resumed import to complete',
    );
    await second.stop();
    const done = await read();
    expect({ rowsRead: done.rows_read, applied: done.applied, rejected: done.rejected }).toEqual({
      rowsRead: rows,
      applied: rows,
      rejected: 0,
    });
    const customers = await db()
      .db.selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', 'R-%')
      .executeTakeFirstOrThrow();
    expect(Number(customers.n)).toBe(rows);
  });

  const csvOf = (prefix: string, count: number) =>
    `code,name\n${Array.from({ length: count }, (_, i) => `${prefix}-${i},Row ${i}`).join('\n')}\n`;
  const readJob = (id: string) =>
    db().db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const quiet = () => createLogger('error', memoryLog().stream);

  it("fails at start a job of its folder whose upload is gone, so it stops blocking uploads; leaves another folder's job alone", async () => {
    const mine = path.join(dir, engine, 'missing-mine');
    const theirs = path.join(dir, engine, 'missing-theirs');
    const options = (folder: string) => ({
      db: db().db,
      dir: folder,
      logger: quiet(),
      maxBytes: 10_000_000,
      progressEveryMs: 20,
      maxActive: 1,
    });
    // Two hubs' jobs halted mid-run (as by a stop), each in its own folder.
    const halted = async (folder: string, prefix: string) => {
      const runner = new ImportRunner(options(folder));
      await runner.start();
      const job = await runner.accept({
        body: body(csvOf(prefix, rows)),
        fileName: `customers-${prefix}.csv`,
        kind: 'customers',
        format: 'csv',
        requestedBy: 'test',
      });
      await waitFor(async () => Number((await readJob(job.id)).applied) > 0, 30_000, 'rows applied');
      await runner.stop();
      expect((await readJob(job.id)).status).toBe('running');
      return job.id;
    };
    const theirJob = await halted(theirs, 'THEIRS');
    // The other hub's job is unfinished: with one active place, nothing more is accepted for now.
    const full = new ImportRunner(options(mine));
    await full.start();
    await expect(
      full.accept({
        body: body(csvOf('FULL', 1)),
        fileName: 'customers-full.csv',
        kind: 'customers',
        format: 'csv',
        requestedBy: 'test',
      }),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    await db()
      .db.updateTable('import_jobs')
      .set({ status: 'completed' })
      .where('id', '=', theirJob)
      .execute();
    const myJob = await halted(mine, 'MINE');
    await db().db.updateTable('import_jobs').set({ status: 'running' }).where('id', '=', theirJob).execute();
    const stored = await readJob(myJob);
    unlinkSync(path.join(mine, stored.stored_as));

    const restarted = new ImportRunner({ ...options(mine), maxActive: 2 });
    await restarted.start();
    const failed = await readJob(myJob);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/stored upload is missing/);
    // The other folder's job is not this hub's to judge: its hub resumes it.
    expect((await readJob(theirJob)).status).toBe('running');
    // The failed job no longer holds a place: a new upload is taken.
    const next = await restarted.accept({
      body: body(csvOf('NEXT', 1)),
      fileName: 'customers-next.csv',
      kind: 'customers',
      format: 'csv',
      requestedBy: 'test',
    });
    await waitFor(async () => (await readJob(next.id)).status === 'completed', 30_000, 'the next import');
    await restarted.stop();
    const other = new ImportRunner(options(theirs));
    await other.start();
    await waitFor(
      async () => (await readJob(theirJob)).status === 'completed',
      60_000,
      'the other hub to finish its job',
    );
    await other.stop();
  });

  it('a run that breaks off on a system error ends failed with the error, not running', async () => {
    // The database refuses the final step (remembering the content hash), after every row was applied.
    const refuseHash: KyselyPlugin = {
      transformQuery(args) {
        if (
          args.node.kind === 'InsertQueryNode' &&
          JSON.stringify(args.node).includes('"file_exchange_imports"')
        )
          throw new Error('disk I/O error (simulated)');
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const runner = new ImportRunner({
      db: db().db.withPlugin(refuseHash),
      dir: path.join(dir, engine, 'broken'),
      logger: quiet(),
      maxBytes: 10_000_000,
    });
    await runner.start();
    const job = await runner.accept({
      body: body(csvOf('BROKEN', 3)),
      fileName: 'customers-broken.csv',
      kind: 'customers',
      format: 'csv',
      requestedBy: 'test',
    });
    await waitFor(
      async () => !['queued', 'running'].includes((await readJob(job.id)).status),
      30_000,
      'the job to end',
    );
    await runner.stop();
    const ended = await readJob(job.id);
    expect(ended.status).toBe('failed');
    expect(ended.message).toMatch(/disk I\/O error \(simulated\)/);
  });

  it('a stop halts a file of rejected rows between two rows too, instead of reading it to its end', async () => {
    const badRows = 100_000;
    const runner = new ImportRunner({
      db: db().db,
      dir: path.join(dir, engine, 'bad-rows'),
      logger: quiet(),
      maxBytes: 50_000_000,
      progressEveryMs: 20,
    });
    await runner.start();
    // No row has a name: every one is rejected, none is ever applied.
    const csv = `code,name\n${Array.from({ length: badRows }, (_, i) => `BAD-${i},`).join('\n')}\n`;
    const job = await runner.accept({
      body: body(csv),
      fileName: 'customers-all-bad.csv',
      kind: 'customers',
      format: 'csv',
      requestedBy: 'test',
    });
    await waitFor(async () => Number((await readJob(job.id)).rejected) > 0, 30_000, 'the first rejects');
    await runner.stop();
    const halted = await readJob(job.id);
    // Halted mid-file and left to resume: before, the stop waited for all 100,000 rows and completed.
    expect(halted.status).toBe('running');
    expect(Number(halted.rejected)).toBeLessThan(badRows);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
});

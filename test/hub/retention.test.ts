import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startRetention } from '../../src/hub/retention.js';
import { ImportRunner } from '../../src/imports/index.js';
import { getJob } from '../../src/imports/job-store.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { getReplay, startReplay } from '../../src/sync/replay/index.js';
import { seedDeadLetters } from '../support/dead-letter-seed.js';
import { describeEachEngine } from '../support/test-database.js';
import { memoryLog } from '../support/test-hub.js';
import { waitFor } from '../sync/sync-fixture.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'fs-retention-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeEachEngine("the hub's retention", (db, engine) => {
  it('prunes delivery history, replay items and finished imports older than the days kept, from its first run', async () => {
    const dir = path.join(root, engine);
    const logger = createLogger('error', memoryLog().stream);
    const past = new Date(Date.now() - 20 * 86_400_000).toISOString();
    // A replay that finished long ago, its letters delivered long ago.
    const letters = await seedDeadLetters(db().db, { count: 2, flow: 'retention' });
    const replayId = String(
      (await startReplay(db().db, { selector: { flow: 'retention' }, requestedBy: 't' })).replayId,
    );
    await db()
      .db.updateTable('outbox_deliveries')
      .set({ status: 'delivered', delivered_at: past })
      .where('id', 'in', letters)
      .execute();
    await getReplay(db().db, replayId);
    await db().db.updateTable('sync_replays').set({ created_at: past, finished_at: past }).execute();
    // An import with a rejected row that finished long ago.
    const runner = new ImportRunner({ db: db().db, dir, logger, maxBytes: 1_000_000 });
    await runner.start();
    const csv = new TextEncoder().encode('code,name\nRET-1,\nRET-2,Kept\n');
    const job = await runner.accept({
      body: new ReadableStream({
        start: (c) => {
          c.enqueue(csv);
          c.close();
        },
      }),
      fileName: 'customers-retention.csv',
      kind: 'customers',
      format: 'csv',
      requestedBy: 't',
    });
    await waitFor(async () => (await getJob(db().db, job.id)).status === 'completed', 30_000, 'the import');
    await runner.stop();
    await db().db.updateTable('import_jobs').set({ finished_at: past }).where('id', '=', job.id).execute();

    const retention = startRetention({ db: db().db, logger, importsDir: dir, keepDays: 14 });
    try {
      await waitFor(
        async () => (await getJob(db().db, job.id)).prunedAt !== null,
        30_000,
        'the import pruned',
      );
    } finally {
      await retention.stop();
    }
    const count = async (table: 'outbox_deliveries' | 'sync_replay_items' | 'import_rejects') =>
      Number(
        (
          await db()
            .db.selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('outbox_deliveries')).toBe(0);
    expect(await count('sync_replay_items')).toBe(0);
    expect(await count('import_rejects')).toBe(0);
    expect(readdirSync(dir)).not.toContain(job.id);
    expect(await getReplay(db().db, replayId)).toMatchObject({ total: 2, delivered: 2, finished: true });
  });
});

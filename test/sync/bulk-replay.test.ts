import { expect, it } from 'vitest';
import { countDeadLetters, listDeadLetters, replayDeadLetters } from '../../src/sync/delivery/index.js';
import { startReplay } from '../../src/sync/replay/index.js';
import { seedDeadLetters } from '../support/dead-letter-seed.js';
import { describeEachEngine } from '../support/test-database.js';

describeEachEngine('bulk replay of dead letters', (db) => {
  const clear = async () => {
    await db().db.deleteFrom('sync_replay_items').execute();
    await db().db.deleteFrom('sync_replays').execute();
    await db().db.deleteFrom('outbox_deliveries').execute();
  };
  const statusOf = async (ids: number[]) =>
    (await db().db.selectFrom('outbox_deliveries').select('status').where('id', 'in', ids).execute()).map(
      (r) => r.status,
    );

  it('an empty id list matches nothing: ids [] never means "every letter"', async () => {
    await clear();
    const ids = await seedDeadLetters(db().db, { count: 5 });
    expect(await countDeadLetters(db().db, { ids: [] })).toBe(0);
    expect((await listDeadLetters(db().db, { ids: [] }, { limit: 10 })).data).toEqual([]);
    expect(await replayDeadLetters(db().db, { ids: [] })).toBe(0);
    const started = await startReplay(db().db, { selector: { ids: [] }, requestedBy: 'test' });
    expect(started).toEqual({ replayId: null, replayed: 0 });
    expect(await statusOf(ids)).toEqual(['dead', 'dead', 'dead', 'dead', 'dead']);
  });
});

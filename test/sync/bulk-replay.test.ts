import { expect, it } from 'vitest';
import { countDeadLetters, listDeadLetters, replayDeadLetters } from '../../src/sync/delivery/index.js';
import { getReplay, listReplays, pruneReplays, startReplay } from '../../src/sync/replay/index.js';
import { seedDeadLetters, statementLog } from '../support/dead-letter-seed.js';
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

  it('an empty selection matches nothing: ids [] and empty filter values never mean "every letter"', async () => {
    await clear();
    const ids = await seedDeadLetters(db().db, { count: 5 });
    expect(await countDeadLetters(db().db, { ids: [] })).toBe(0);
    expect((await listDeadLetters(db().db, { ids: [] }, { limit: 10 })).data).toEqual([]);
    expect(await replayDeadLetters(db().db, { ids: [] })).toBe(0);
    for (const selector of [{ ids: [] }, { flow: '' }, { entity: '' }, { errorClass: '' }]) {
      const started = await startReplay(db().db, { selector, requestedBy: 'test' });
      expect(started, JSON.stringify(selector)).toEqual({ replayId: null, replayed: 0 });
    }
    expect(await statusOf(ids)).toEqual(['dead', 'dead', 'dead', 'dead', 'dead']);
  });

  it('takes exactly the letters the dead-letter list shows for the same filter', async () => {
    await clear();
    const old = '2020-01-01T00:00:00.000Z';
    await seedDeadLetters(db().db, { count: 3, flow: 'a', eventType: 'customer.created' });
    await seedDeadLetters(db().db, {
      count: 2,
      flow: 'a',
      eventType: 'item.updated',
      errorClass: 'conflict',
    });
    await seedDeadLetters(db().db, { count: 4, flow: 'b', eventType: 'customer.updated', eventTime: old });
    const some = await seedDeadLetters(db().db, { count: 3, flow: 'b', eventType: 'item.created' });
    const filters = [
      { flow: 'a' },
      { entity: 'customer' },
      { errorClass: 'conflict' },
      { olderThan: '2021-01-01T00:00:00.000Z' },
      { flow: 'b', entity: 'item' },
      { ids: some.slice(0, 2) },
      { flow: 'no-such-flow' },
    ];
    for (const filter of filters) {
      const expected = await countDeadLetters(db().db, filter);
      const started = await startReplay(db().db, { selector: filter, requestedBy: 'test' });
      expect(started.replayed, JSON.stringify(filter)).toBe(expected);
      if (started.replayId !== null)
        expect((await getReplay(db().db, started.replayId)).total).toBe(expected);
      // Back to dead for the next filter (the dispatcher is not running).
      await db().db.updateTable('outbox_deliveries').set({ status: 'dead' }).execute();
    }
  });

  it('is set-based: the same few statements for 1,200 letters as for 3, and replaying twice changes nothing', async () => {
    await clear();
    const counted = async (count: number) => {
      await seedDeadLetters(db().db, { count, flow: `size-${count}` });
      const log = statementLog();
      const started = await startReplay(db().db.withPlugin(log.plugin), {
        selector: { flow: `size-${count}` },
        requestedBy: 'test',
      });
      expect(started.replayed).toBe(count);
      return log.statements.length;
    };
    const small = await counted(3);
    const large = await counted(1200);
    expect(large).toBe(small);
    const again = await startReplay(db().db, { selector: { flow: 'size-1200' }, requestedBy: 'test' });
    expect(again).toEqual({ replayId: null, replayed: 0 });
    const rows = await db()
      .db.selectFrom('outbox_deliveries')
      .select(['status', 'attempts', 'lease_owner'])
      .where('subscriber', '=', 'flow:size-1200')
      .execute();
    expect(new Set(rows.map((r) => `${r.status}/${Number(r.attempts)}/${String(r.lease_owner)}`))).toEqual(
      new Set(['pending/0/null']),
    );
  });

  it('stores the final counts once nothing is pending and serves them without counting again', async () => {
    await clear();
    const ids = await seedDeadLetters(db().db, { count: 3, flow: 'final' });
    const started = await startReplay(db().db, { selector: { flow: 'final' }, requestedBy: 'test' });
    const replayId = String(started.replayId);
    expect(await getReplay(db().db, replayId)).toMatchObject({
      pending: 3,
      finished: false,
      finishedAt: null,
    });
    // The dispatcher's outcome: two delivered, one dead again.
    const [a, b, c] = ids as [number, number, number];
    await db()
      .db.updateTable('outbox_deliveries')
      .set({ status: 'delivered', delivered_at: new Date().toISOString() })
      .where('id', 'in', [a, b])
      .execute();
    await db()
      .db.updateTable('outbox_deliveries')
      .set({ status: 'dead', last_error: 'still refused' })
      .where('id', '=', c)
      .execute();
    const settled = await getReplay(db().db, replayId);
    expect(settled).toMatchObject({ total: 3, delivered: 2, pending: 0, dead: 1, finished: true });
    expect(settled.finishedAt).toEqual(expect.any(String));
    expect(settled.stillDead).toEqual([
      expect.objectContaining({ id: c, flow: 'final', error: 'still refused' }),
    ]);

    // Served from the replay row: no statement reads its items or their deliveries any more.
    const log = statementLog();
    const again = await getReplay(db().db.withPlugin(log.plugin), replayId);
    expect(again).toEqual(settled);
    const listed = await listReplays(db().db.withPlugin(log.plugin), { limit: 20 });
    expect(listed.data[0]).toEqual(settled);
    expect(log.statements.filter((s) => /sync_replay_items|outbox_deliveries/.test(s))).toEqual([]);

    // The letter dead again is replayed later: that is the later replay's business, this one stays final.
    const later = await startReplay(db().db, { selector: { ids: [c] }, requestedBy: 'test' });
    expect(later.replayed).toBe(1);
    expect(await getReplay(db().db, replayId)).toEqual(settled);
    expect(await getReplay(db().db, String(later.replayId))).toMatchObject({ pending: 1, finished: false });
  });

  it("prunes a finished replay's items after the days kept; its figures stay, a running replay keeps its items", async () => {
    await clear();
    const items = async (replayId: string) =>
      Number(
        (
          await db()
            .db.selectFrom('sync_replay_items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('replay_id', '=', replayId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const done = await seedDeadLetters(db().db, { count: 3, flow: 'old-done' });
    await seedDeadLetters(db().db, { count: 2, flow: 'old-running' });
    const finished = String(
      (await startReplay(db().db, { selector: { flow: 'old-done' }, requestedBy: 't' })).replayId,
    );
    const running = String(
      (await startReplay(db().db, { selector: { flow: 'old-running' }, requestedBy: 't' })).replayId,
    );
    await db()
      .db.updateTable('outbox_deliveries')
      .set({ status: 'delivered', delivered_at: new Date().toISOString() })
      .where('id', 'in', done)
      .execute();
    const figures = await getReplay(db().db, finished);
    expect(figures).toMatchObject({ delivered: 3, finished: true });
    const past = new Date(Date.now() - 20 * 86_400_000).toISOString();
    await db().db.updateTable('sync_replays').set({ created_at: past }).execute();
    await db().db.updateTable('sync_replays').set({ finished_at: past }).where('id', '=', finished).execute();

    expect(await pruneReplays(db().db, { keepDays: 14 })).toEqual({ replays: 1, items: 3 });
    expect(await items(finished)).toBe(0);
    expect(await getReplay(db().db, finished)).toEqual({ ...figures, createdAt: past, finishedAt: past });
    expect(await items(running)).toBe(2);
    expect(await getReplay(db().db, running)).toMatchObject({ pending: 2, finished: false });
    expect(await pruneReplays(db().db, { keepDays: 14 })).toEqual({ replays: 0, items: 0 });
  });
});

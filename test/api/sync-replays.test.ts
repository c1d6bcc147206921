import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncTestHub } from '../support/sync-test-hub.js';
import { startSyncTestHub } from '../support/sync-test-hub.js';
import { testEngines } from '../support/test-database.js';
import { waitFor } from '../sync/sync-fixture.js';

const poisoned = (names: string[]) => (_e: string, op: { data?: unknown }) =>
  names.includes(String((op.data as { name?: string } | undefined)?.name));

for (const engine of testEngines) {
  describe(`sync API: replays with progress [${engine}]`, () => {
    let s: SyncTestHub;
    beforeAll(async () => {
      s = await startSyncTestHub(engine);
    });
    afterAll(async () => {
      await s?.stop();
    });

    const deadCount = async () =>
      ((await s.call('GET', '/v1/sync/dead-letters?limit=500')).json.data as unknown[]).length;

    it('answers a bulk replay with a replay id whose progress settles into delivered and dead-again', async () => {
      s.erp.faults.rejectOps(poisoned(['Poison A', 'Poison B', 'Poison C']), 'name refused');
      const ids: string[] = [];
      for (const name of ['Poison A', 'Poison B', 'Poison C']) {
        const created = await s.call('POST', '/v1/customers', { name });
        expect(created.status).toBe(201);
        ids.push(String(created.json.id));
      }
      await waitFor(async () => (await deadCount()) === 3, 20_000, 'three dead letters');
      // Fix the cause for two of them only: the third must come back dead, not vanish.
      s.erp.faults.clear();
      s.erp.faults.rejectOps(poisoned(['Poison C']), 'still refused');

      const replay = await s.call('POST', '/v1/sync/dead-letters/replay', { all: true });
      expect(replay.status).toBe(200);
      expect(replay.json).toEqual({ replayed: 3, replayId: expect.any(String) });
      const replayId = String(replay.json.replayId);
      expect(replay.headers.get('location')).toBe(`/v1/sync/replays/${replayId}`);

      let progress: Record<string, unknown> = {};
      await waitFor(
        async () => {
          progress = (await s.call('GET', `/v1/sync/replays/${replayId}`, undefined, s.tokens.read)).json;
          return progress.finished === true;
        },
        20_000,
        'the replay to settle',
      );
      expect(progress).toMatchObject({
        id: replayId,
        requestedBy: 'token:admin',
        selector: { all: true },
        total: 3,
        delivered: 2,
        pending: 0,
        dead: 1,
        finished: true,
        finishedAt: expect.any(String),
      });
      expect(progress.stillDead).toEqual([
        expect.objectContaining({
          flow: 'customers-out',
          subject: `customer/${ids[2]}`,
          errorClass: 'validation',
          error: expect.stringContaining('still refused'),
        }),
      ]);
      const names = s.erp.store.all('customer').map((r) => r.data.name);
      expect(names).toEqual(expect.arrayContaining(['Poison A', 'Poison B']));
      expect(names).not.toContain('Poison C');

      const list = await s.call('GET', '/v1/sync/replays?limit=5', undefined, s.tokens.read);
      expect(list.status).toBe(200);
      expect((list.json.data as { id: string; delivered: number }[])[0]).toMatchObject({
        id: replayId,
        delivered: 2,
      });
      s.erp.faults.clear();
    });

    it('a replay that matches nothing has no replay id to follow', async () => {
      const none = await s.call('POST', '/v1/sync/dead-letters/replay', { flow: 'no-such-flow' });
      expect(none.status).toBe(200);
      expect(none.json).toEqual({ replayed: 0, replayId: null });
      expect(none.headers.get('location')).toBeNull();
    });

    it('an empty selection is refused with the field named, and replays nothing', async () => {
      const before = await deadCount();
      expect(before).toBeGreaterThan(0);
      for (const [body, pointer] of [
        [{ ids: [] }, '/ids'],
        [{ flow: '' }, '/flow'],
        [{ entity: '' }, '/entity'],
        [{ errorClass: '' }, '/errorClass'],
        [{ ids: [], all: true }, '/ids'],
      ] as const) {
        const res = await s.call('POST', '/v1/sync/dead-letters/replay', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect((res.json.errors as { path: string }[]).map((e) => e.path)).toEqual([pointer]);
      }
      expect(await deadCount()).toBe(before);
    });

    it('bad input → 400 problem+json with the field path; unknown replay → 404', async () => {
      const badIds = await s.call('POST', '/v1/sync/dead-letters/replay', { ids: ['x'] });
      expect(badIds.status).toBe(400);
      expect(badIds.headers.get('content-type')).toContain('application/problem+json');
      expect((badIds.json.errors as { path: string }[]).map((e) => e.path)).toContain('/ids/0');
      const noSelector = await s.call('POST', '/v1/sync/dead-letters/replay', {});
      expect((noSelector.json.errors as { path: string }[]).map((e) => e.path)).toEqual(['/all']);
      const badLimit = await s.call('GET', '/v1/sync/replays?limit=0');
      expect(badLimit.status).toBe(400);
      expect((badLimit.json.errors as { path: string }[]).map((e) => e.path)).toContain('/query/limit');
      expect((await s.call('GET', '/v1/sync/replays/nope')).status).toBe(404);
    });

    it('replaying needs admin; following a replay needs a token', async () => {
      const refused = await s.call('POST', '/v1/sync/dead-letters/replay', { all: true }, s.tokens.write);
      expect(refused.status).toBe(403);
      expect(refused.json).toMatchObject({ code: 'forbidden', requiredScope: 'admin' });
      expect((await s.call('GET', '/v1/sync/replays', undefined, null)).status).toBe(401);
    });
  });
}

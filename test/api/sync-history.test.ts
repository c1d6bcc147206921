import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncTestHub } from '../support/sync-test-hub.js';
import { pruneHistory } from '../../src/sync/delivery/index.js';
import { startSyncTestHub } from '../support/sync-test-hub.js';
import { testEngines } from '../support/test-database.js';
import { waitFor } from '../sync/sync-fixture.js';

interface History {
  subject: string;
  localId: string;
  links: { connector: string; entity: string; externalId: string }[];
  events: {
    type: string;
    sequence: number;
    deliveries: {
      flow: string;
      status: string;
      attemptLog: { outcome: string; errorClass: string | null }[];
    }[];
    notSent: string | null;
  }[];
  nextBeforeSequence: number | null;
}

for (const engine of testEngines) {
  describe(`sync API: a record's sync history [${engine}]`, () => {
    let s: SyncTestHub;
    beforeAll(async () => {
      s = await startSyncTestHub(engine);
    });
    afterAll(async () => {
      await s?.stop();
    });

    const history = async (query: string, token: string | null = s.tokens.read) =>
      s.call('GET', `/v1/sync/history?${query}`, undefined, token);

    it('lists the events newest first with each delivery and every attempt, and the ERP id', async () => {
      // One failed attempt first, so the attempt log has a retry before the delivery.
      s.erp.faults.failNext(1, { kind: 'server_error', status: 503 });
      const created = await s.call('POST', '/v1/customers', { name: 'History Co', code: 'HIS-1' });
      const id = String(created.json.id);
      const subject = `customer/${id}`;
      await waitFor(
        async () =>
          ((await history(`subject=${subject}`)).json as unknown as History).events[0]?.deliveries[0]
            ?.status === 'delivered',
        20_000,
        'the creation to be delivered',
      );
      const archived = await s.call('POST', `/v1/customers/${id}/archive`, {});
      expect(archived.status).toBe(200);

      const res = await history(`subject=${subject}`);
      expect(res.status).toBe(200);
      const h = res.json as unknown as History;
      expect(h.subject).toBe(subject);
      expect(h.localId).toBe(id);
      expect(h.events.map((e) => e.type)).toEqual(['customer.archived', 'customer.created']);
      // No flow takes customer.archived: it stays in Fieldsync, and the history says so (no deliveries).
      expect(h.events[0]?.deliveries).toEqual([]);
      expect(h.events[0]?.notSent).toBe('no_flow');
      expect(h.events[1]?.notSent).toBeNull();
      const delivery = h.events[1]?.deliveries[0];
      expect(delivery).toMatchObject({ flow: 'customers-out', status: 'delivered' });
      expect(delivery?.attemptLog.map((a) => [a.outcome, a.errorClass])).toEqual([
        ['retry', 'transient'],
        ['delivered', null],
      ]);
      const erpRecord = s.erp.store.all('customer').find((r) => r.data.code === 'HIS-1');
      expect(h.links).toEqual([
        expect.objectContaining({ connector: 'erp', entity: 'customer', externalId: erpRecord?.id }),
      ]);

      const first = (await history(`subject=${subject}&limit=1`)).json as unknown as History;
      expect(first.events.map((e) => e.type)).toEqual(['customer.archived']);
      expect(first.nextBeforeSequence).toBe(first.events[0]?.sequence);
      const older = (await history(`subject=${subject}&limit=1&beforeSequence=${first.nextBeforeSequence}`))
        .json as unknown as History;
      expect(older.events.map((e) => e.type)).toEqual(['customer.created']);
      expect(older.nextBeforeSequence).toBeNull();
    });

    it('tells an event a flow takes but that committed before the flow was subscribed', async () => {
      // Written with the subscription lifted, as by a hub that started its flows afterwards (the demo
      // company, loaded before the hub starts, is such a case).
      const db = s.hub.handle.db;
      const saved = await db.selectFrom('outbox_subscriptions').selectAll().execute();
      await db.deleteFrom('outbox_subscriptions').execute();
      const created = await s.call('POST', '/v1/customers', { name: 'Before Co', code: 'BEF-1' });
      await db.insertInto('outbox_subscriptions').values(saved).execute();
      const h = (await history(`subject=customer/${String(created.json.id)}`)).json as unknown as History;
      expect(h.events).toEqual([
        expect.objectContaining({ type: 'customer.created', deliveries: [], notSent: 'before_subscription' }),
      ]);
    });

    it('tells an event whose delivery was pruned after the history days from one never sent', async () => {
      const db = s.hub.handle.db;
      const created = await s.call('POST', '/v1/customers', { name: 'Pruned Co', code: 'PRU-1' });
      const subject = `customer/${String(created.json.id)}`;
      await waitFor(
        async () =>
          ((await history(`subject=${subject}`)).json as unknown as History).events[0]?.deliveries[0]
            ?.status === 'delivered',
        20_000,
        'the creation to be delivered',
      );
      // Twenty days on: the event and its delivery are older than the 14 days kept, and the hub's
      // housekeeping prunes the delivered row.
      const past = new Date(Date.now() - 20 * 86_400_000).toISOString();
      await db.updateTable('outbox_events').set({ time: past }).where('subject', '=', subject).execute();
      await db
        .updateTable('outbox_deliveries')
        .set({ event_time: past, delivered_at: past })
        .where('subject', '=', subject)
        .execute();
      await pruneHistory(db, 14);
      const h = (await history(`subject=${subject}`)).json as unknown as History & { historyDays: number };
      expect(h.historyDays).toBe(14);
      expect(h.events).toEqual([
        expect.objectContaining({ type: 'customer.created', deliveries: [], notSent: 'history_pruned' }),
      ]);
    });

    it('a record without events has an empty history', async () => {
      const res = await history('subject=work_order/none');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ events: [], links: [], nextBeforeSequence: null, localId: 'none' });
    });

    it('bad input → 400 problem+json with the query path; a token is required', async () => {
      for (const [query, pointer] of [
        ['', '/query/subject'],
        ['subject=nonsense', '/query/subject'],
        ['subject=customer/x&limit=999', '/query/limit'],
        ['subject=customer/x&beforeSequence=0', '/query/beforeSequence'],
      ] as const) {
        const res = await history(query);
        expect(res.status, query).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect((res.json.errors as { path: string }[]).map((e) => e.path)).toContain(pointer);
      }
      expect((await history('subject=customer/x', null)).status).toBe(401);
    });
  });
}

import { expect, it } from 'vitest';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import { inTransaction, setSubscriptions } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

describeEachEngine('outbox fan-out to subscribers', (db) => {
  it('creates one delivery per matching subscriber, in the event transaction', async () => {
    await setSubscriptions(db().db, {
      'test:exact': ['customer.created'],
      'test:prefix': ['customer.*'],
      'test:both': ['customer.*', 'customer.created'],
      'test:all': ['*'],
      'test:items': ['item.created'],
    });
    const customer = await createCustomer(db().db, { name: 'Fan-out' });
    const rows = await db()
      .db.selectFrom('outbox_deliveries')
      .selectAll()
      .where('subject', '=', `customer/${customer.id}`)
      .orderBy('subscriber')
      .execute();
    expect(rows.map((r) => r.subscriber)).toEqual(['test:all', 'test:both', 'test:exact', 'test:prefix']);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'pending', attempts: 0, event_type: 'customer.created' });
      expect(r.idempotency_key).toBe(`${r.subscriber}:${r.event_id}`);
    }
  });

  it('creates no delivery when the write rolls back', async () => {
    await setSubscriptions(db().db, { 'test:rollback': ['item.*'] });
    await expect(
      inTransaction(db().db, async (uow) => {
        await createItem(uow, { sku: 'ROLLBACK-1', name: 'x', category: 'c', listPrice: '1' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await db()
      .db.selectFrom('outbox_deliveries')
      .selectAll()
      .where('subscriber', '=', 'test:rollback')
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('replaces a subscriber pattern set and prunes unnamed subscribers by prefix', async () => {
    await setSubscriptions(db().db, {
      'flow:a': ['x.created'],
      'flow:b': ['y.created'],
      'other:c': ['z.created'],
    });
    await setSubscriptions(db().db, { 'flow:a': ['x.updated'] }, { prune: 'flow:' });
    const subs = await db()
      .db.selectFrom('outbox_subscriptions')
      .selectAll()
      .where('subscriber', 'in', ['flow:a', 'flow:b', 'other:c'])
      .execute();
    expect(subs.map((s) => `${s.subscriber}=${s.type_pattern}`).sort()).toEqual([
      'flow:a=x.updated',
      'other:c=z.created',
    ]);
    await expect(setSubscriptions(db().db, { 'flow:bad': ['Not A Pattern'] })).rejects.toThrow(
      /invalid event type pattern/,
    );
  });
});

import { afterEach, expect, it } from 'vitest';
import type { WriteOp } from '../../src/connectors/sdk/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { leaseDeliveries, releaseLeases, replayDeadLetters } from '../../src/sync/delivery/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { SyncFixture } from './sync-fixture.js';
import { customerSyncFixture, deliveryCounts, waitFor } from './sync-fixture.js';

/** Records every op the flow hands its connector, in order, with the reference it carries. */
function recordOps(fixture: SyncFixture): WriteOp[] {
  const seen: WriteOp[] = [];
  const session = fixture.flow.session;
  const write = session.writeBatch.bind(session);
  session.writeBatch = (entity, ops, options) => {
    seen.push(...ops);
    return write(entity, ops, options);
  };
  return seen;
}

describeEachEngine('first attempt (WriteOp.firstAttempt)', (db) => {
  let fixture: SyncFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  it('marks only ops no connector was handed before: not a retry, not a replay', async () => {
    fixture = await customerSyncFixture(db().db);
    const { erp, flow, dispatcher } = fixture;
    const seen = recordOps(fixture);
    const delivered = (n: number) => async () =>
      (await deliveryCounts(db().db, flow.subscriber)).delivered === n;
    // The first call fails as a whole (the ERP may have applied it): its ops are retried.
    const retried = await createCustomer(db().db, { name: 'Retried' });
    erp.faults.failNext(1, { kind: 'server_error', status: 503 });
    dispatcher.start();
    await waitFor(delivered(1), 20_000, 'retried delivered');
    // Refused for its data: dead-lettered at once, then replayed.
    erp.faults.rejectOps((_entity, op) => (op.data as { name?: string }).name === 'Poison', 'refused');
    const poison = await createCustomer(db().db, { name: 'Poison' });
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).dead === 1,
      20_000,
      'poison dead',
    );
    erp.faults.clear();
    expect(await replayDeadLetters(db().db, { flow: flow.name })).toBe(1);
    dispatcher.nudge();
    await waitFor(delivered(2), 20_000, 'replay delivered');
    const plain = await createCustomer(db().db, { name: 'Plain' });
    await waitFor(delivered(3), 20_000, 'plain delivered');

    const marks = (id: string) => seen.filter((op) => op.reference === id).map((op) => op.firstAttempt);
    expect(marks(retried.id)).toEqual([true, undefined]);
    // A replay starts the attempt count again, but the dead letter's error marks it as tried before.
    expect(marks(poison.id)).toEqual([true, undefined]);
    expect(marks(plain.id)).toEqual([true]);
  });

  it('a lease given back at shutdown stays counted, so its next attempt is not a first one', async () => {
    fixture = await customerSyncFixture(db().db);
    const { flow } = fixture;
    await createCustomer(db().db, { name: 'Released' });
    const options = { subscriber: flow.subscriber, owner: 'hub-a', limit: 10, leaseMs: 60_000 };
    const [first] = await leaseDeliveries(db().db, options);
    expect(first?.attempts).toBe(1);
    expect(await releaseLeases(db().db, 'hub-a')).toBe(1);
    const [again] = await leaseDeliveries(db().db, { ...options, owner: 'hub-b' });
    expect(again?.id).toBe(first?.id);
    expect(again?.attempts).toBe(2);
  });
});

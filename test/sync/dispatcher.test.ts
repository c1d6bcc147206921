import { afterEach, expect, it } from 'vitest';
import { createCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import { attemptsOf, listDeadLetters, replayDeadLetters } from '../../src/sync/delivery/index.js';
import { Dispatcher } from '../../src/sync/engine/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { SyncFixture } from './sync-fixture.js';
import { customerSyncFixture, deliveryCounts, quietLogger, waitFor } from './sync-fixture.js';

describeEachEngine('dispatcher', (db) => {
  let fixture: SyncFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  it('delivers every committed change, creates then updates through the crosswalk', async () => {
    fixture = await customerSyncFixture(db().db);
    const { erp, flow, dispatcher } = fixture;
    const created = [];
    for (let i = 0; i < 30; i += 1)
      created.push(await createCustomer(db().db, { name: `Deliver ${i}`, code: `DLV-${i}` }));
    dispatcher.start();
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 30,
      20_000,
      'creates delivered',
    );
    expect(erp.store.all('customer')).toHaveLength(30);
    const first = created[0];
    if (!first) throw new Error('no customer');
    await updateCustomer(db().db, first.id, { name: 'Deliver 0 renamed' });
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 31,
      20_000,
      'update delivered',
    );
    const xw = await db()
      .db.selectFrom('sync_crosswalk')
      .selectAll()
      .where('local_id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(erp.store.get('customer', xw.external_id)?.data).toMatchObject({
      name: 'Deliver 0 renamed',
      code: 'DLV-0',
    });
    expect(erp.store.all('customer')).toHaveLength(30);
    const attempts = await db()
      .db.selectFrom('sync_attempt_log')
      .selectAll()
      .where('flow', '=', flow.name)
      .execute();
    expect(attempts.filter((a) => a.outcome === 'delivered')).toHaveLength(31);
  });

  it('keeps one record in order while others proceed (per-subject order)', async () => {
    fixture = await customerSyncFixture(db().db, { batchSize: 10, concurrency: 3 });
    const { erp, flow, dispatcher } = fixture;
    const hot = await createCustomer(db().db, { name: 'Hot 0' });
    const others = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createCustomer(db().db, { name: `Cold ${i}` })),
    );
    for (let i = 1; i <= 15; i += 1) await updateCustomer(db().db, hot.id, { name: `Hot ${i}` });
    dispatcher.start();
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 21,
      20_000,
      'all delivered',
    );
    const xw = await db()
      .db.selectFrom('sync_crosswalk')
      .selectAll()
      .where('local_id', '=', hot.id)
      .executeTakeFirstOrThrow();
    expect(erp.store.get('customer', xw.external_id)?.data).toMatchObject({ name: 'Hot 15' });
    const hotNames = erp
      .requests({ method: 'POST' })
      .flatMap(
        (r) =>
          (r.body as { ops?: { reference?: string; id?: string; data?: { name?: string } }[] }).ops ?? [],
      )
      .filter((op) => op.reference === hot.id)
      .map((op) => op.data?.name);
    expect(hotNames).toEqual(Array.from({ length: 16 }, (_, i) => `Hot ${i}`));
    expect(others).toHaveLength(5);
  });

  it('dead-letters a poison record after the policy attempts without blocking others; replay twice = same state (R5)', async () => {
    fixture = await customerSyncFixture(db().db, {
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10, jitter: 'none' },
    });
    const { erp, flow, dispatcher } = fixture;
    erp.faults.rejectOps(
      (_entity, op) => (op.data as { name?: string } | undefined)?.name === 'Poison',
      'name refused by ERP',
    );
    const poison = await createCustomer(db().db, { name: 'Poison' });
    for (let i = 0; i < 10; i += 1) await createCustomer(db().db, { name: `Healthy ${i}` });
    dispatcher.start();
    await waitFor(
      async () => {
        const c = await deliveryCounts(db().db, flow.subscriber);
        return c.delivered === 10 && c.dead === 1;
      },
      20_000,
      'healthy delivered, poison dead',
    );
    const letters = await listDeadLetters(db().db, { flow: flow.name }, { limit: 10 });
    expect(letters.data).toHaveLength(1);
    const letter = letters.data[0];
    expect(letter).toMatchObject({ subject: `customer/${poison.id}`, errorClass: 'validation', attempts: 1 });
    expect(letter?.mappedRequest).toMatchObject({ op: 'create', payload: { name: 'Poison' } });
    expect((await attemptsOf(db().db, letter?.id ?? 0)).map((a) => a.outcome)).toEqual(['dead']);

    // A later change of the same record waits behind its dead letter instead of overtaking it.
    await updateCustomer(db().db, poison.id, { email: 'p@example.com' });
    await new Promise((r) => setTimeout(r, 200));
    expect((await deliveryCounts(db().db, flow.subscriber)).pending).toBe(1);

    const fixedName = 'Poison';
    erp.faults.clear();
    expect(await replayDeadLetters(db().db, { flow: flow.name })).toBe(1);
    expect(await replayDeadLetters(db().db, { flow: flow.name })).toBe(0);
    dispatcher.nudge();
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 12,
      20_000,
      'replay delivered',
    );
    const named = erp.store.all('customer').filter((r) => r.data.name === fixedName);
    expect(named).toHaveLength(1);
    expect(named[0]?.data.email).toBe('p@example.com');
    expect(await replayDeadLetters(db().db, { flow: flow.name })).toBe(0);
    expect(erp.store.all('customer')).toHaveLength(11);
  });

  it('lets two dispatchers (two hubs) share one flow: each event delivered once, per-record order kept', async () => {
    fixture = await customerSyncFixture(db().db, { batchSize: 10, concurrency: 2 });
    const { erp, flow, dispatcher } = fixture;
    const second = new Dispatcher({
      db: db().db,
      flows: [flow],
      logger: quietLogger(),
      pollMs: 10,
      leaseMs: 5000,
      owner: 'second-hub',
    });
    const customers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createCustomer(db().db, { name: `Shared ${i}.0` })),
    );
    for (let round = 1; round <= 3; round += 1) {
      for (const [i, c] of customers.entries())
        await updateCustomer(db().db, c.id, { name: `Shared ${i}.${round}` });
    }
    dispatcher.start();
    second.start();
    try {
      await waitFor(
        async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 80,
        30_000,
        'shared delivery',
      );
    } finally {
      await second.stop();
    }
    const owners = await db()
      .db.selectFrom('sync_attempt_log')
      .select(['delivery_id'])
      .where('flow', '=', flow.name)
      .execute();
    expect(owners).toHaveLength(80);
    expect(erp.store.all('customer')).toHaveLength(20);
    for (const [i, c] of customers.entries()) {
      const sent = erp
        .requests({ method: 'POST' })
        .flatMap((r) => (r.body as { ops?: { reference?: string; data?: { name?: string } }[] }).ops ?? [])
        .filter((op) => op.reference === c.id)
        .map((op) => op.data?.name);
      expect(sent).toEqual([0, 1, 2, 3].map((round) => `Shared ${i}.${round}`));
    }
  });

  it('retries through ERP outages and rate limits without loss or duplicates', async () => {
    fixture = await customerSyncFixture(db().db, {
      retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50, jitter: 'full' },
    });
    const { erp, flow, dispatcher } = fixture;
    erp.faults.failNext(3, { kind: 'server_error', status: 503 });
    erp.faults.failNext(1, { kind: 'rate_limited', retryAfterSeconds: 1 });
    for (let i = 0; i < 20; i += 1) await createCustomer(db().db, { name: `Outage ${i}` });
    dispatcher.start();
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 20,
      30_000,
      'drained',
    );
    expect(erp.store.all('customer')).toHaveLength(20);
    const retries = await db()
      .db.selectFrom('sync_attempts')
      .selectAll()
      .where('outcome', '=', 'retry')
      .execute();
    expect(new Set(retries.map((r) => r.error_class))).toEqual(new Set(['transient', 'rate_limited']));
    expect(erp.faults.pendingFailures).toBe(0);
  });
});

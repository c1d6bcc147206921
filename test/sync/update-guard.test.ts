import { afterEach, expect, it } from 'vitest';
import { createCustomer, getCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import { listConflicts, resolveConflict } from '../../src/sync/conflicts/index.js';
import { customerApplier } from '../../src/sync/inbound/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { outboundCustomerMapping, outboundTo, pullFixture, pullOneCustomer, rand } from './pull-fixture.js';
import { deliveryCounts, waitFor } from './sync-fixture.js';

// An outbound update used to send the whole mapped record, so an ERP edit made since the last pull was
// written over before any pull could see it. With the guard the engine reads the record first and
// judges the ERP's edits like a pull (apply, or hold as a conflict), then writes only on that version.
describeEachEngine('outbound update guard', (db) => {
  let fixture: PullFixture | undefined;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  const pulledCustomer = (f: PullFixture) => pullOneCustomer(db().db, f);

  /** Subscribed now (events before this are not its business), started by `drain`. */
  async function outbound(f: PullFixture, guarded: boolean) {
    return outboundTo(db().db, f, outboundCustomerMapping, {
      ...(guarded && { guard: { inbound: f.flow, applier: customerApplier } }),
    });
  }

  async function drain(out: Awaited<ReturnType<typeof outbound>>) {
    out.dispatcher.start();
    stops.push(() => out.dispatcher.stop());
    await waitFor(
      async () => {
        const c = await deliveryCounts(db().db, out.flow.subscriber);
        return (c.pending ?? 0) + (c.in_flight ?? 0) === 0 && (c.delivered ?? 0) > 0;
      },
      15_000,
      'the outbound backlog delivered',
    );
  }

  it('keeps ERP edits made since the last pull: applied or held as a conflict, never written over', async () => {
    fixture = await pullFixture(db().db);
    const { erp, connector } = fixture;
    const { externalId, localId } = await pulledCustomer(fixture);
    const out = await outbound(fixture, true);

    // Fieldsync changes its own phone and the shared email ...
    await updateCustomer(db().db, localId, { phone: '+43 1 222', email: 'ours@example.com' });
    // ... while, before the next pull, an ERP user renames the party and changes the email too.
    erp.store.mutate('customer', externalId, { name: 'Renamed in ERP', email: 'theirs@example.com' });

    await drain(out);

    const inErp = erp.store.get('customer', externalId)?.data;
    expect(inErp).toMatchObject({
      name: 'Renamed in ERP', // the ERP's edit of its own field survives
      email: 'theirs@example.com', // the clash is not settled by overwriting
      phone: '+43 1 222', // our own field still goes out
    });
    const local = await getCustomer(db().db, localId);
    expect(local).toMatchObject({ name: 'Renamed in ERP', phone: '+43 1 222', email: 'ours@example.com' });
    const open = (await listConflicts(db().db, { localId, status: 'open', connector }, { limit: 10 })).data;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      field: 'email',
      kind: 'concurrent_edit',
      erpValue: 'theirs@example.com',
      localValue: 'ours@example.com',
      baseValue: 'base@example.com',
    });

    // The person takes our value: the resolution flows out through the same guard and lands.
    await resolveConflict(db().db, open[0]?.id ?? '', { resolution: 'take_ours' });
    await waitFor(
      async () => erp.store.get('customer', externalId)?.data.email === 'ours@example.com',
      15_000,
      'take_ours delivered',
    );
    expect(erp.store.get('customer', externalId)?.data).toMatchObject({
      name: 'Renamed in ERP',
      phone: '+43 1 222',
    });
  });

  it('an event older than a pulled ERP edit does not put the old value back', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await pulledCustomer(fixture);
    const out = await outbound(fixture, true);
    // The phone change's event holds the old name; the pull then brings the ERP's rename in first.
    await updateCustomer(db().db, localId, { phone: '+43 1 555' });
    erp.store.mutate('customer', externalId, { name: 'Renamed before delivery' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1 });
    await drain(out);
    expect(erp.store.get('customer', externalId)?.data).toMatchObject({
      name: 'Renamed before delivery',
      phone: '+43 1 555',
    });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0 });
    expect((await getCustomer(db().db, localId)).name).toBe('Renamed before delivery');
  });

  it('without the guard the same history writes the ERP edits over (the gap it closes)', async () => {
    fixture = await pullFixture(db().db);
    const { erp } = fixture;
    const { externalId, localId } = await pulledCustomer(fixture);
    const before = (await getCustomer(db().db, localId)).name;
    const out = await outbound(fixture, false);
    await updateCustomer(db().db, localId, { phone: '+43 1 222', email: 'ours@example.com' });
    erp.store.mutate('customer', externalId, { name: 'Renamed in ERP', email: 'theirs@example.com' });
    await drain(out);
    expect(erp.store.get('customer', externalId)?.data).toMatchObject({
      name: before,
      email: 'ours@example.com',
    });
  });

  it('a record the ERP did not change goes out as the event has it, on the version just read', async () => {
    fixture = await pullFixture(db().db);
    const { erp } = fixture;
    const { externalId, localId } = await pulledCustomer(fixture);
    const out = await outbound(fixture, true);
    await updateCustomer(db().db, localId, { phone: '+43 1 333' });
    const version = erp.store.get('customer', externalId)?.modifiedAt;
    await drain(out);
    expect(erp.store.get('customer', externalId)?.data.phone).toBe('+43 1 333');
    const batch = erp.requests().find((r) => r.method === 'POST' && r.path.endsWith('/batch'));
    expect(batch?.body).toMatchObject({
      ops: [{ op: 'update', id: externalId, ifUnmodifiedSince: version }],
    });
    expect((await listConflicts(db().db, { localId, status: 'open' }, { limit: 10 })).data).toHaveLength(0);
  });

  it('a record never pulled has no base to judge against and is created and updated as before', async () => {
    fixture = await pullFixture(db().db);
    const { erp } = fixture;
    const out = await outbound(fixture, true);
    const created = await createCustomer(db().db, { name: `Ours ${rand()}`, phone: '+43 1 400' });
    await updateCustomer(db().db, created.id, { phone: '+43 1 401' });
    await drain(out);
    expect(erp.store.all('customer').find((r) => r.data.phone === '+43 1 401')).toBeDefined();
    expect(
      erp.requests().filter((r) => r.method === 'GET' && /\/customer\/[^/?]+$/.test(r.path)),
    ).toHaveLength(0);
  });
});

import { afterEach, expect, it } from 'vitest';
import { getCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import {
  countConflicts,
  getConflict,
  listConflicts,
  resolveConflict,
} from '../../src/sync/conflicts/index.js';
import type { InboundApplier } from '../../src/sync/inbound/index.js';
import { customerApplier, inboundAppliers, pullOriginOf } from '../../src/sync/inbound/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import {
  eventsOf,
  outboundCustomerMapping,
  outboundTo,
  pullFixture,
  pullOneCustomer,
} from './pull-fixture.js';
import { deliveryCounts, waitFor } from './sync-fixture.js';

describeEachEngine('conflicts', (db, engine) => {
  let fixture: PullFixture | undefined;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  const onePulled = (f: PullFixture, data: Record<string, unknown> = {}) => pullOneCustomer(db().db, f, data);

  const openConflictsOf = async (localId: string) =>
    (await listConflicts(db().db, { localId, status: 'open' }, { limit: 50 })).data;

  it('applies an ERP change of an ERP-owned field, and holds an ERP change of a Fieldsync-owned field as a conflict', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow, connector } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    erp.store.mutate('customer', externalId, { name: 'Renamed in ERP', phone: '+43 1 999' });
    const result = await scheduler.runOnce(flow.name);
    expect(result).toMatchObject({ updated: 1, conflicts: 1 });
    const customer = await getCustomer(db().db, localId);
    expect(customer).toMatchObject({ name: 'Renamed in ERP', phone: '+43 1 100' });
    const update = (await eventsOf(db().db, `customer/${localId}`)).at(-1);
    expect(update).toMatchObject({ type: 'customer.updated', data: { changedFields: ['name'] } });
    expect(pullOriginOf(update?.data)?.connector).toBe(connector);

    const [conflict] = await openConflictsOf(localId);
    expect(conflict).toMatchObject({
      flow: flow.name,
      connector,
      entity: 'customer',
      externalEntity: 'customer',
      externalId,
      field: 'phone',
      owner: 'fieldsync',
      kind: 'non_owner_change',
      baseValue: '+43 1 100',
      baseKnown: true,
      erpValue: '+43 1 999',
      localValue: '+43 1 100',
      status: 'open',
      resolution: null,
    });
    expect(await getConflict(db().db, conflict?.id ?? '')).toEqual(conflict);
  });

  it('holds a shared field both sides changed, with both values, and never duplicates the open conflict', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { email: 'ours@example.com' });
    erp.store.mutate('customer', externalId, { email: 'theirs@example.com' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 1, updated: 0, unchanged: 1 });
    expect((await getCustomer(db().db, localId)).email).toBe('ours@example.com');
    let open = await openConflictsOf(localId);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      field: 'email',
      owner: 'shared',
      rule: 'manual',
      kind: 'concurrent_edit',
      baseValue: 'base@example.com',
      erpValue: 'theirs@example.com',
      localValue: 'ours@example.com',
    });
    const firstId = open[0]?.id;

    // The record comes again (another field changed, and a full re-read): still exactly one open conflict.
    erp.store.mutate('customer', externalId, { name: 'Other change' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0, updated: 1 });
    expect(await scheduler.runOnce(flow.name, { rewind: 'start' })).toMatchObject({ conflicts: 0 });
    open = await openConflictsOf(localId);
    expect(open.map((c) => c.id)).toEqual([firstId]);

    // The ERP changes it again: the same open conflict now shows the newest ERP value.
    erp.store.mutate('customer', externalId, { email: 'theirs2@example.com' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0 });
    open = await openConflictsOf(localId);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      id: firstId,
      erpValue: 'theirs2@example.com',
      localValue: 'ours@example.com',
    });
  });

  it('reports a Fieldsync change of an ERP-owned field on the next pull of the record, without overwriting it', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { name: 'Our own name' });
    erp.store.mutate('customer', externalId, { phone: '+43 1 100' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 1 });
    expect((await getCustomer(db().db, localId)).name).toBe('Our own name');
    const [conflict] = await openConflictsOf(localId);
    expect(conflict).toMatchObject({
      field: 'name',
      owner: 'erp',
      kind: 'non_owner_change',
      localValue: 'Our own name',
      erpValue: expect.stringMatching(/^Con /) as unknown,
    });
  });

  it('lets a shared rule settle a clash, and reports it as a resolved conflict', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { legalName: 'Ours AG' });
    erp.store.mutate('customer', externalId, { legal: 'Theirs GmbH' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0, settled: 1, updated: 1 });
    expect((await getCustomer(db().db, localId)).legalName).toBe('Theirs GmbH');
    expect(await openConflictsOf(localId)).toHaveLength(0);
    const [settled] = (await listConflicts(db().db, { localId, field: 'legalName' }, { limit: 5 })).data;
    expect(settled).toMatchObject({
      status: 'resolved',
      resolution: 'take_erp',
      resolvedBy: 'rule:erp-wins-on-conflict',
      erpValue: 'Theirs GmbH',
      localValue: 'Ours AG',
      resolvedValue: 'Theirs GmbH',
    });
  });

  it('when a shared rule keeps our value against an ERP edit, sends it out again', async () => {
    fixture = await pullFixture(db().db, {
      mapping: {
        fields: {
          name: { from: 'name', owner: 'erp', required: true },
          code: { from: 'code', owner: 'erp' },
          legalName: { from: 'legal', owner: 'shared', rule: 'fieldsync-wins-on-conflict' },
        },
      },
    });
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { legalName: 'Ours AG' });
    erp.store.mutate('customer', externalId, { legal: 'Theirs GmbH' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ settled: 1, conflicts: 0, updated: 0 });
    expect((await getCustomer(db().db, localId)).legalName).toBe('Ours AG');
    const [settled] = (await listConflicts(db().db, { localId, field: 'legalName' }, { limit: 5 })).data;
    expect(settled).toMatchObject({
      status: 'resolved',
      resolution: 'take_ours',
      resolvedBy: 'rule:fieldsync-wins-on-conflict',
      resolvedValue: 'Ours AG',
    });
    const event = (await eventsOf(db().db, `customer/${localId}`)).at(-1);
    expect(event).toMatchObject({
      type: 'customer.conflict_resolved',
      data: { changedFields: ['legalName'], customer: { legalName: 'Ours AG' } },
    });
    expect(pullOriginOf(event?.data)).toBeUndefined();
    // Settled means settled: the same ERP version read again changes nothing and reports nothing new.
    expect(await scheduler.runOnce(flow.name, { rewind: 'start' })).toMatchObject({
      settled: 0,
      conflicts: 0,
    });
  });

  it('sees no conflict when both sides made the same change, and closes an open one once they agree', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { email: 'same@example.com', phone: '+43 1 555' });
    erp.store.mutate('customer', externalId, { email: 'same@example.com', phone: '+43 1 777' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 1 });
    expect((await openConflictsOf(localId)).map((c) => c.field)).toEqual(['phone']);
    // The ERP takes our value after all (e.g. someone typed it in): the conflict has no cause left.
    erp.store.mutate('customer', externalId, { phone: '+43 1 555' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0 });
    expect(await openConflictsOf(localId)).toHaveLength(0);
    const [closed] = (await listConflicts(db().db, { localId, field: 'phone' }, { limit: 5 })).data;
    expect(closed).toMatchObject({ status: 'resolved', resolution: 'converged', resolvedBy: 'sync' });
  });

  it('take_erp applies the ERP value through the module (marked as from the ERP); resolving twice is a 409', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow, connector } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    erp.store.mutate('customer', externalId, { phone: '+43 1 999' });
    await scheduler.runOnce(flow.name);
    const [conflict] = await openConflictsOf(localId);
    const resolved = await resolveConflict(
      db().db,
      conflict?.id ?? '',
      { resolution: 'take_erp' },
      { actor: 'alice' },
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: 'take_erp',
      resolvedBy: 'alice',
      resolvedValue: '+43 1 999',
    });
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await getCustomer(db().db, localId)).phone).toBe('+43 1 999');
    const update = (await eventsOf(db().db, `customer/${localId}`)).at(-1);
    expect(update).toMatchObject({ type: 'customer.updated', data: { changedFields: ['phone'] } });
    expect(pullOriginOf(update?.data)?.connector).toBe(connector);

    const eventsBefore = (await eventsOf(db().db, `customer/${localId}`)).length;
    await expect(
      resolveConflict(db().db, conflict?.id ?? '', { resolution: 'take_ours' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: { status: 'resolved', resolution: 'take_erp', resolvedBy: 'alice' },
    });
    expect((await eventsOf(db().db, `customer/${localId}`)).length).toBe(eventsBefore);

    // The snapshot holds the decision: another ERP change of the record does not re-open it.
    erp.store.mutate('customer', externalId, { name: 'Unrelated change' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0, updated: 1 });
    expect(await openConflictsOf(localId)).toHaveLength(0);
  });

  it('take_ours keeps the local value and the outbound dispatcher delivers it to the ERP', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    erp.store.mutate('customer', externalId, { phone: '+43 1 999' });
    await scheduler.runOnce(flow.name);
    const [conflict] = await openConflictsOf(localId);

    const out = await outboundTo(db().db, fixture, outboundCustomerMapping);
    stops.push(() => out.dispatcher.stop());
    out.dispatcher.start();
    const resolved = await resolveConflict(db().db, conflict?.id ?? '', { resolution: 'take_ours' });
    expect(resolved).toMatchObject({
      resolution: 'take_ours',
      resolvedValue: '+43 1 100',
      resolvedBy: 'api',
    });
    const event = (await eventsOf(db().db, `customer/${localId}`)).at(-1);
    expect(event).toMatchObject({
      type: 'customer.conflict_resolved',
      data: { changedFields: ['phone'], customer: { id: localId, phone: '+43 1 100' } },
    });
    expect(pullOriginOf(event?.data)).toBeUndefined();

    await waitFor(
      async () => (await deliveryCounts(db().db, out.flow.subscriber)).delivered === 1,
      20_000,
      'take_ours delivered',
    );
    expect(erp.store.get('customer', externalId)?.data).toMatchObject({ phone: '+43 1 100' });
    // Both sides agree now: the next pull of the record finds nothing to do.
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0, updated: 0, unchanged: 1 });
    expect(await openConflictsOf(localId)).toHaveLength(0);
    expect((await getCustomer(db().db, localId)).phone).toBe('+43 1 100');
  });

  it('edit sets a chosen value locally, which flows out like any local change', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { email: 'ours@example.com' });
    erp.store.mutate('customer', externalId, { email: 'theirs@example.com' });
    await scheduler.runOnce(flow.name);
    const [conflict] = await openConflictsOf(localId);

    const out = await outboundTo(db().db, fixture, outboundCustomerMapping);
    stops.push(() => out.dispatcher.stop());
    out.dispatcher.start();
    const resolved = await resolveConflict(
      db().db,
      conflict?.id ?? '',
      { resolution: 'edit', value: 'agreed@example.com' },
      { actor: 'bob' },
    );
    expect(resolved).toMatchObject({
      resolution: 'edit',
      resolvedValue: 'agreed@example.com',
      resolvedBy: 'bob',
    });
    expect((await getCustomer(db().db, localId)).email).toBe('agreed@example.com');
    const event = (await eventsOf(db().db, `customer/${localId}`)).at(-1);
    expect(event).toMatchObject({ type: 'customer.updated', data: { changedFields: ['email'] } });
    expect(pullOriginOf(event?.data)).toBeUndefined();
    await waitFor(
      async () => (await deliveryCounts(db().db, out.flow.subscriber)).delivered === 1,
      20_000,
      'edit delivered',
    );
    expect(erp.store.get('customer', externalId)?.data).toMatchObject({ email: 'agreed@example.com' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 0, updated: 0 });
    expect(await openConflictsOf(localId)).toHaveLength(0);
  });

  it('refuses bad resolutions without writing anything', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    await updateCustomer(db().db, localId, { email: 'ours@example.com' });
    erp.store.mutate('customer', externalId, { email: 'theirs@example.com' });
    await scheduler.runOnce(flow.name);
    const [conflict] = await openConflictsOf(localId);
    const id = conflict?.id ?? '';
    const eventsBefore = (await eventsOf(db().db, `customer/${localId}`)).length;

    await expect(resolveConflict(db().db, id, { resolution: 'edit' })).rejects.toMatchObject({
      code: 'validation',
      issues: [{ path: ['value'] }],
    });
    await expect(resolveConflict(db().db, id, { resolution: 'take_erp', value: 'x' })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(
      resolveConflict(db().db, id, { resolution: 'nonsense' as 'edit', value: 1 }),
    ).rejects.toMatchObject({ code: 'validation' });
    // The module's own rules apply to an edited value.
    await expect(
      resolveConflict(db().db, id, { resolution: 'edit', value: 'not an email' }),
    ).rejects.toMatchObject({ code: 'validation', issues: [{ path: ['email'] }] });
    await expect(
      resolveConflict(db().db, 'no-such-conflict', { resolution: 'take_erp' }),
    ).rejects.toMatchObject({ code: 'not_found' });

    expect(await getConflict(db().db, id)).toMatchObject({ status: 'open', resolution: null });
    expect((await getCustomer(db().db, localId)).email).toBe('ours@example.com');
    expect((await eventsOf(db().db, `customer/${localId}`)).length).toBe(eventsBefore);
  });

  it('lists conflicts with filters and keyset pages', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const records = [];
    for (let i = 0; i < 3; i += 1) records.push(await onePulled(fixture));
    for (const r of records) erp.store.mutate('customer', r.externalId, { phone: '+43 1 999' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ conflicts: 3 });
    expect(await countConflicts(db().db, { flow: flow.name, status: 'open' })).toBe(3);
    const first = await listConflicts(db().db, { flow: flow.name, status: 'open' }, { limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.nextAfterId).toBe(first.data[1]?.id);
    const second = await listConflicts(
      db().db,
      { flow: flow.name, status: 'open' },
      { limit: 2, afterId: first.nextAfterId ?? undefined },
    );
    expect(second).toMatchObject({ nextAfterId: null });
    expect([...first.data, ...second.data].map((c) => c.localId).sort()).toEqual(
      records.map((r) => r.localId).sort(),
    );
    expect(
      (await listConflicts(db().db, { flow: flow.name, field: 'email' }, { limit: 5 })).data,
    ).toHaveLength(0);
    expect(
      (
        await listConflicts(
          db().db,
          { connector: fixture.connector, externalId: records[0]?.externalId },
          { limit: 5 },
        )
      ).data,
    ).toHaveLength(1);
    await expect(getConflict(db().db, 'missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('does not overwrite a local edit that lands between the pull reading a record and writing it', async () => {
    let interleave: ((id: string) => Promise<void>) | undefined;
    const racing: InboundApplier = {
      ...customerApplier,
      async read(executor, id) {
        const seen = await customerApplier.read(executor, id);
        const edit = interleave;
        interleave = undefined;
        if (edit) await edit(id);
        return seen;
      },
    };
    fixture = await pullFixture(db().db, { appliers: { ...inboundAppliers, customer: racing } });
    const { erp, scheduler, flow } = fixture;
    const { externalId, localId } = await onePulled(fixture);
    erp.store.mutate('customer', externalId, { name: 'ERP name', email: 'erp@example.com' });
    if (engine === 'postgres') {
      // Committed on another connection after the pull read the record and before it writes.
      interleave = async (id) => {
        await updateCustomer(db().db, id, { name: 'Local name' });
      };
    } else {
      // SQLite: the pull's transaction holds the write lock from BEGIN IMMEDIATE, so a local write cannot
      // land inside it; the edit comes just before instead.
      await updateCustomer(db().db, localId, { name: 'Local name' });
    }
    const result = await scheduler.runOnce(flow.name);
    expect(result).toMatchObject({ outcome: 'completed', pullErrors: 0, conflicts: 1 });
    expect(await getCustomer(db().db, localId)).toMatchObject({
      name: 'Local name',
      email: 'erp@example.com',
    });
    const [conflict] = await openConflictsOf(localId);
    expect(conflict).toMatchObject({
      field: 'name',
      owner: 'erp',
      erpValue: 'ERP name',
      localValue: 'Local name',
    });
  });

  // Needs the lead's one change in deliverBatch: acknowledge events for which isEchoFor(data, flow.connectorName) holds.
  it('does not echo pulled values back to the ERP they came from (outbound skips origin-marked events)', async () => {
    fixture = await pullFixture(db().db);
    const out = await outboundTo(db().db, fixture, outboundCustomerMapping);
    stops.push(() => out.dispatcher.stop());
    out.dispatcher.start();
    const { externalId } = await onePulled(fixture);
    fixture.erp.store.mutate('customer', externalId, { name: 'Changed in ERP' });
    await fixture.scheduler.runOnce(fixture.flow.name);
    await waitFor(
      async () => (await deliveryCounts(db().db, out.flow.subscriber)).delivered === 2,
      20_000,
      'echoes acknowledged',
    );
    expect(fixture.erp.requests({ method: 'POST' })).toHaveLength(0);
  });
});

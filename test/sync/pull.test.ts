import { afterEach, expect, it } from 'vitest';
import { createCustomer, getCustomer, listCustomers } from '../../src/modules/customers/index.js';
import { getItem } from '../../src/modules/items/index.js';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import type { InboundApplier } from '../../src/sync/inbound/index.js';
import { customerApplier, inboundAppliers, isEchoFor, pullOriginOf } from '../../src/sync/inbound/index.js';
import { listPullErrors, maxRunFailures } from '../../src/sync/pull/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { eventsOf, inboundCustomerMapping, localIdOf, pullFixture, rand } from './pull-fixture.js';

describeEachEngine('incremental pulls', (db) => {
  let fixture: PullFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const countCustomerEvents = async () =>
    Number(
      (
        await db()
          .db.selectFrom('outbox_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('type', 'like', 'customer.%')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('initial pull creates local customers through the module: events with origin, crosswalk and snapshots', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const seeded = erp.store.seed(
      'customer',
      Array.from({ length: 12 }, (_, i) => ({
        data: {
          name: `Pulled ${p} ${i}`,
          code: `P-${p}-${i}`,
          email: `c${i}@example.com`,
          phone: `+43 1 ${i}`,
        },
      })),
    );
    const result = await scheduler.runOnce(flow.name);
    expect(result).toMatchObject({
      outcome: 'completed',
      read: 12,
      created: 12,
      updated: 0,
      duplicates: 0,
      conflicts: 0,
      pullErrors: 0,
    });
    expect(result.pages).toBeGreaterThanOrEqual(3);

    for (const record of seeded) {
      const localId = await localIdOf(db().db, connector, record.id);
      const customer = await getCustomer(db().db, localId);
      expect(customer).toMatchObject({
        name: record.data.name,
        code: record.data.code,
        email: record.data.email,
        phone: record.data.phone,
      });
      const events = await eventsOf(db().db, `customer/${localId}`);
      expect(events.map((e) => e.type)).toEqual(['customer.created']);
      expect(pullOriginOf(events[0]?.data)).toEqual({
        connector,
        flow: flow.name,
        externalId: record.id,
        erpModifiedAt: record.modifiedAt,
      });
      expect(isEchoFor(events[0]?.data, connector)).toBe(true);
      expect(isEchoFor(events[0]?.data, 'some-other-erp')).toBe(false);
      const snapshot = await db()
        .db.selectFrom('sync_snapshots')
        .selectAll()
        .where('connector', '=', connector)
        .where('local_id', '=', localId)
        .executeTakeFirstOrThrow();
      expect(snapshot).toMatchObject({
        entity: 'customer',
        external_id: record.id,
        erp_modified_at: record.modifiedAt,
      });
      expect(JSON.parse(snapshot.fields)).toMatchObject({ name: record.data.name, email: record.data.email });
    }
    const [status] = await scheduler.status();
    expect(status).toMatchObject({
      flow: flow.name,
      pulledTotal: 12,
      lastError: null,
      running: false,
      openPullErrors: 0,
    });
    expect(status?.cursor).toEqual({ modifiedAt: seeded[11]?.modifiedAt, id: seeded[11]?.id });
    expect(status?.lastSuccessAt).not.toBeNull();
    expect(erp.requests({ method: 'POST' })).toHaveLength(0);
  });

  it('pulls items through the item module (prices as decimals, matched by SKU)', async () => {
    fixture = await pullFixture(db().db, { entity: 'item' });
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const [a, b] = erp.store.seed('item', [
      {
        data: { code: `SKU-${p}-A`, name: 'Oil filter', group: 'filters', price: '12.5', notes: 'from ERP' },
      },
      { data: { code: `SKU-${p}-B`, name: 'Labour hour', price: '80' } },
    ]);
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ outcome: 'completed', created: 2 });
    const itemA = await getItem(db().db, await localIdOf(db().db, connector, a?.id ?? ''));
    expect(itemA).toMatchObject({
      sku: `SKU-${p}-A`,
      name: 'Oil filter',
      category: 'filters',
      listPrice: '12.50',
      description: 'from ERP',
    });
    const itemB = await getItem(db().db, await localIdOf(db().db, connector, b?.id ?? ''));
    expect(itemB).toMatchObject({ category: 'general', listPrice: '80.00' });

    // The module stores "12.50" for "12.5": not a change on either side, so nothing happens on a re-read.
    erp.store.mutate('item', a?.id ?? '', { name: 'Oil filter XL' });
    const second = await scheduler.runOnce(flow.name);
    expect(second).toMatchObject({ outcome: 'completed', updated: 1, conflicts: 0 });
    expect(await getItem(db().db, itemA.id)).toMatchObject({ name: 'Oil filter XL', listPrice: '12.50' });
  });

  it('pages across many records sharing one modifiedAt without skips or duplicates', async () => {
    fixture = await pullFixture(db().db, { pageSize: 4 });
    const { erp, scheduler, flow, connector, clock } = fixture;
    const p = rand();
    const stamps = ['2031-01-01T10:00:00.000Z', '2031-01-01T10:00:00.000Z', '2031-01-01T10:00:01.000Z'];
    const seeded = [0, 1, 2].flatMap((g) =>
      erp.store.seed(
        'customer',
        Array.from({ length: 7 }, (_, i) => ({
          modifiedAt: stamps[g],
          data: { name: `Same ${p} ${g}-${i}`, code: `S-${p}-${g}-${i}` },
        })),
      ),
    );
    const first = await scheduler.runOnce(flow.name);
    expect(first).toMatchObject({ outcome: 'completed', read: 21, created: 21, duplicates: 0 });
    const links = await db()
      .db.selectFrom('sync_crosswalk')
      .select('external_id')
      .where('connector', '=', connector)
      .execute();
    expect(links.map((l) => l.external_id).sort()).toEqual(seeded.map((r) => r.id).sort());
    const local = await listCustomers(db().db, { q: `Same ${p}` }, { limit: 100 });
    expect(local.data).toHaveLength(21);

    // More records at the very instant of the saved cursor: the keyset still finds them, once.
    clock.freeze('2031-01-01T10:00:01.000Z');
    const late = erp.store.seed('customer', [{ data: { name: `Same ${p} late`, code: `S-${p}-late` } }]);
    clock.thaw();
    const second = await scheduler.runOnce(flow.name);
    expect(second).toMatchObject({ outcome: 'completed', created: 1, updated: 0 });
    expect(await localIdOf(db().db, connector, late[0]?.id ?? '')).toBeTruthy();
    expect((await listCustomers(db().db, { q: `Same ${p}` }, { limit: 100 })).data).toHaveLength(22);
  });

  it('re-reads the overlap window, drops versions already applied, and catches a late commit with an older stamp', async () => {
    fixture = await pullFixture(db().db, { overlapSeconds: 120 });
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    erp.store.seed(
      'customer',
      Array.from({ length: 6 }, (_, i) => ({ data: { name: `Ov ${p} ${i}`, code: `OV-${p}-${i}` } })),
    );
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: 6 });
    const eventsBefore = await countCustomerEvents();

    // Committed late by the ERP with a stamp 30 s before our cursor: only the overlap finds it.
    const lateStamp = new Date(Date.now() - 30_000).toISOString();
    const [late] = erp.store.seed('customer', [
      { modifiedAt: lateStamp, data: { name: `Ov ${p} late`, code: `OV-${p}-late` } },
    ]);
    const second = await scheduler.runOnce(flow.name);
    expect(second).toMatchObject({
      outcome: 'completed',
      created: 1,
      updated: 0,
      unchanged: 0,
      duplicates: 6,
    });
    expect(await localIdOf(db().db, connector, late?.id ?? '')).toBeTruthy();
    expect(await countCustomerEvents()).toBe(eventsBefore + 1);

    const third = await scheduler.runOnce(flow.name);
    expect(third).toMatchObject({ created: 0, updated: 0, unchanged: 0, duplicates: 7 });
    expect(await countCustomerEvents()).toBe(eventsBefore + 1);
  });

  it('saves the cursor only after the page committed: a crash mid-page loses nothing and duplicates nothing', async () => {
    let armed = true;
    let applied = 0;
    const crashing: InboundApplier = {
      ...customerApplier,
      async create(uow, values) {
        if (armed && applied === 2) throw new Error('simulated crash while applying the third record');
        applied += 1;
        return customerApplier.create(uow, values);
      },
    };
    fixture = await pullFixture(db().db, {
      pageSize: 5,
      appliers: { ...inboundAppliers, customer: crashing },
    });
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const seeded = erp.store.seed(
      'customer',
      Array.from({ length: 8 }, (_, i) => ({ data: { name: `Crash ${p} ${i}`, code: `CR-${p}-${i}` } })),
    );

    const crashed = await scheduler.runOnce(flow.name);
    expect(crashed).toMatchObject({ outcome: 'failed', created: 2, cursor: null });
    expect(crashed.error?.message).toContain('simulated crash');
    let [status] = await scheduler.status();
    expect(status).toMatchObject({ cursor: null, pulledTotal: 2, running: false });
    expect(status?.lastError).toContain('simulated crash');
    expect((await listCustomers(db().db, { q: `Crash ${p}` }, { limit: 50 })).data).toHaveLength(2);
    expect((await listPullErrors(db().db, { flow: flow.name })).data).toMatchObject([
      { externalId: seeded[2]?.id, errorClass: 'internal', attempts: 1, status: 'open' },
    ]);

    armed = false;
    const rerun = await scheduler.runOnce(flow.name);
    expect(rerun).toMatchObject({ outcome: 'completed', created: 6, duplicates: 2 });
    const local = await listCustomers(db().db, { q: `Crash ${p}` }, { limit: 50 });
    expect(local.data.map((c) => c.code).sort()).toEqual(seeded.map((r) => r.data.code).sort());
    for (const record of seeded) expect(await localIdOf(db().db, connector, record.id)).toBeTruthy();
    [status] = await scheduler.status();
    expect(status).toMatchObject({ pulledTotal: 8, lastError: null, openPullErrors: 0 });
    expect((await listPullErrors(db().db, { flow: flow.name })).data[0]?.status).toBe('resolved');
  });

  it(`sets a record aside after it failed ${maxRunFailures} runs in a row, so it cannot hold the cursor forever`, async () => {
    const p = rand();
    const broken: InboundApplier = {
      ...customerApplier,
      async create(uow, values) {
        if (values.code === `BRK-${p}-1`) throw new Error('applier bug for this one record');
        return customerApplier.create(uow, values);
      },
    };
    fixture = await pullFixture(db().db, { pageSize: 2, appliers: { ...inboundAppliers, customer: broken } });
    const { erp, scheduler, flow } = fixture;
    erp.store.seed(
      'customer',
      Array.from({ length: 4 }, (_, i) => ({ data: { name: `Brk ${p} ${i}`, code: `BRK-${p}-${i}` } })),
    );
    for (let run = 1; run < maxRunFailures; run += 1) {
      expect(await scheduler.runOnce(flow.name)).toMatchObject({
        outcome: 'failed',
        pullErrors: 0,
        cursor: null,
      });
    }
    const last = await scheduler.runOnce(flow.name);
    expect(last).toMatchObject({ outcome: 'completed', pullErrors: 1, created: 2, duplicates: 1 });
    const [error] = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    expect(error).toMatchObject({
      errorClass: 'internal',
      attempts: maxRunFailures,
      message: 'applier bug for this one record',
    });
    expect((await listCustomers(db().db, { q: `Brk ${p}` }, { limit: 10 })).data).toHaveLength(3);
    // Set aside means set aside: later runs drop the failing version like any other pull error.
    expect(await scheduler.runOnce(flow.name)).toMatchObject({
      outcome: 'completed',
      pullErrors: 0,
      created: 0,
    });
  });

  it('records a poison record as a pull error, moves on, and applies it once the ERP fixes it', async () => {
    fixture = await pullFixture(db().db, { pageSize: 3 });
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const records = erp.store.seed('customer', [
      { data: { name: `Good ${p} 1`, code: `G-${p}-1` } },
      { data: { code: `G-${p}-nameless` } },
      { data: { name: `Good ${p} 2`, code: `G-${p}-2`, email: 'not an email' } },
      { data: { name: `Good ${p} 3`, code: `G-${p}-3` } },
    ]);
    const [, nameless, badEmail] = records;
    const result = await scheduler.runOnce(flow.name);
    expect(result).toMatchObject({ outcome: 'completed', read: 4, created: 2, pullErrors: 2 });
    const errorsNow = await listPullErrors(db().db, { flow: flow.name, status: 'open' });
    expect(errorsNow.data).toHaveLength(2);
    const mappingError = errorsNow.data.find((e) => e.externalId === nameless?.id);
    expect(mappingError).toMatchObject({
      errorClass: 'validation',
      attempts: 1,
      modifiedAt: nameless?.modifiedAt,
    });
    expect(mappingError?.message).toContain('name');
    expect(mappingError?.issues[0]?.path).toEqual(['name']);
    const domainError = errorsNow.data.find((e) => e.externalId === badEmail?.id);
    expect(domainError).toMatchObject({ errorClass: 'validation' });
    expect(domainError?.issues.map((i) => i.path.join('.'))).toEqual(['email']);
    const [status] = await scheduler.status();
    expect(status?.cursor?.id).toBe(records[3]?.id);
    expect(status?.openPullErrors).toBe(2);

    // The same failing versions are not recorded again by the overlap re-read.
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ pullErrors: 0, duplicates: 4 });
    expect((await listPullErrors(db().db, { flow: flow.name })).data.map((e) => e.attempts)).toEqual([1, 1]);

    erp.store.mutate('customer', nameless?.id ?? '', { name: `Good ${p} fixed` });
    const fixed = await scheduler.runOnce(flow.name);
    expect(fixed).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await getCustomer(db().db, await localIdOf(db().db, connector, nameless?.id ?? ''))).toMatchObject(
      { name: `Good ${p} fixed` },
    );
    const after = await listPullErrors(db().db, { flow: flow.name });
    expect(after.data.find((e) => e.externalId === nameless?.id)?.status).toBe('resolved');
    expect(after.data.find((e) => e.externalId === badEmail?.id)?.status).toBe('open');
  });

  it('retries the records with open pull errors on demand, after a fix on our side', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    // Matches a local customer by code that is already linked to another ERP record: refused, recorded.
    const holder = await createCustomer(db().db, { name: 'Holder', code: `DUP-${p}` });
    const [dup] = erp.store.seed('customer', [{ data: { name: `Dup ${p}`, code: `DUP-${p}` } }]);
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    expect(await localIdOf(db().db, connector, dup?.id ?? '')).toBe(holder.id);
    const [clash] = erp.store.seed('customer', [{ data: { name: `Clash ${p}`, code: `DUP-${p}` } }]);
    const [nameless] = erp.store.seed('customer', [{ data: { code: `NONAME-${p}` } }]);
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ pullErrors: 2 });
    const open = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    expect(open.find((e) => e.externalId === clash?.id)).toMatchObject({ errorClass: 'conflict' });
    expect(open.find((e) => e.externalId === clash?.id)?.message).toContain(`linked to ${dup?.id}`);
    expect(open.find((e) => e.externalId === nameless?.id)).toMatchObject({ errorClass: 'validation' });

    // The mapping is fixed (a default name); a retry re-reads from the oldest failing record.
    const { PullScheduler } = await import('../../src/sync/pull/index.js');
    const { quietLogger } = await import('./sync-fixture.js');
    const { compileMapping } = await import('../../src/sync/mapping/index.js');
    const fixedMapping = compileMapping({
      fields: {
        ...inboundCustomerMapping.fields,
        name: { from: 'name', owner: 'erp', required: true, transform: [{ default: { value: 'Unnamed' } }] },
      },
    });
    if (!fixedMapping.ok) throw new Error('mapping');
    const fixed = new PullScheduler({
      db: db().db,
      logger: quietLogger(),
      flows: [{ ...flow, mapping: fixedMapping.mapping }],
    });
    expect(await fixed.runOnce(flow.name)).toMatchObject({ created: 0, pullErrors: 0 });
    const retried = await fixed.runOnce(flow.name, { rewind: 'pull_errors' });
    expect(retried).toMatchObject({ outcome: 'completed', created: 1, pullErrors: 1 });
    expect(await getCustomer(db().db, await localIdOf(db().db, connector, nameless?.id ?? ''))).toMatchObject(
      { name: 'Unnamed', code: `NONAME-${p}` },
    );
    const after = (await listPullErrors(db().db, { flow: flow.name })).data;
    expect(after.find((e) => e.externalId === nameless?.id)?.status).toBe('resolved');
    expect(after.find((e) => e.externalId === clash?.id)).toMatchObject({ status: 'open', attempts: 2 });
  });

  it('resets an invalid cursor and reads from the start, relying on dedupe', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const p = rand();
    erp.store.seed(
      'customer',
      Array.from({ length: 4 }, (_, i) => ({ data: { name: `Cur ${p} ${i}`, code: `CU-${p}-${i}` } })),
    );
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ created: 4 });
    erp.store.seed('customer', [{ data: { name: `Cur ${p} new`, code: `CU-${p}-new` } }]);
    erp.faults.failNext(1, { kind: 'cursor_invalid' });
    const result = await scheduler.runOnce(flow.name);
    expect(result).toMatchObject({ outcome: 'completed', cursorReset: true, created: 1, duplicates: 4 });
    expect((await listCustomers(db().db, { q: `Cur ${p}` }, { limit: 50 })).data).toHaveLength(5);
  });

  it('keeps the cursor when the ERP fails and tells the breaker', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const p = rand();
    erp.store.seed('customer', [{ data: { name: `Down ${p}`, code: `DN-${p}` } }]);
    erp.faults.failNext(1, { kind: 'server_error', status: 503 });
    const failed = await scheduler.runOnce(flow.name);
    expect(failed).toMatchObject({
      outcome: 'failed',
      read: 0,
      cursor: null,
      error: { errorClass: 'transient' },
    });
    expect(flow.breaker.snapshot().consecutiveFailures).toBe(1);
    const [status] = await scheduler.status();
    expect(status).toMatchObject({ cursor: null });
    expect(status?.lastError).toContain('transient');
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ outcome: 'completed', created: 1 });
    expect(flow.breaker.snapshot().consecutiveFailures).toBe(0);
  });

  it('links an ERP record to the local record with the same code instead of creating a second one', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow, connector } = fixture;
    const p = rand();
    const existing = await createCustomer(db().db, {
      name: `Known ${p}`,
      code: `K-${p}`,
      phone: '+43 1 111',
    });
    const [record] = erp.store.seed('customer', [
      { data: { name: `Known ${p} GmbH`, code: `K-${p}`, phone: '+43 1 999' } },
    ]);
    const result = await scheduler.runOnce(flow.name);
    expect(result).toMatchObject({ created: 0, updated: 1 });
    expect(await localIdOf(db().db, connector, record?.id ?? '')).toBe(existing.id);
    // First contact: the owner's side wins without a conflict (ERP owns name, Fieldsync owns phone).
    expect(await getCustomer(db().db, existing.id)).toMatchObject({
      name: `Known ${p} GmbH`,
      phone: '+43 1 111',
    });
    expect(result.conflicts).toBe(0);
  });

  it('honours the flow operation: update-only flows skip unknown records, create-only flows skip known ones', async () => {
    const p = rand();
    const known = await createCustomer(db().db, { name: `Op ${p} known`, code: `OP-${p}-known` });
    const erp = await startTestErp();
    try {
      fixture = await pullFixture(db().db, { operation: 'update', erp });
      const records = erp.store.seed('customer', [
        { data: { name: `Op ${p} known renamed`, code: `OP-${p}-known` } },
        { data: { name: `Op ${p} new`, code: `OP-${p}-new` } },
      ]);
      expect(await fixture.scheduler.runOnce(fixture.flow.name)).toMatchObject({
        updated: 1,
        skipped: 1,
        created: 0,
      });
      expect((await getCustomer(db().db, known.id)).name).toBe(`Op ${p} known renamed`);
      expect((await listCustomers(db().db, { code: `OP-${p}-new` }, { limit: 5 })).data).toHaveLength(0);
      await fixture.close();

      fixture = await pullFixture(db().db, { operation: 'create', erp });
      erp.store.mutate('customer', records[0]?.id ?? '', { name: `Op ${p} known again` });
      expect(await fixture.scheduler.runOnce(fixture.flow.name)).toMatchObject({
        created: 1,
        skipped: 1,
        updated: 0,
      });
      expect((await getCustomer(db().db, known.id)).name).toBe(`Op ${p} known renamed`);
      expect((await listCustomers(db().db, { code: `OP-${p}-new` }, { limit: 5 })).data).toHaveLength(1);
    } finally {
      await erp.close();
    }
  });

  it('never runs one flow twice at once, even from two schedulers (lease on the cursor row)', async () => {
    fixture = await pullFixture(db().db, { owner: 'hub-a' });
    const { erp, scheduler, flow } = fixture;
    const p = rand();
    erp.store.seed(
      'customer',
      Array.from({ length: 3 }, (_, i) => ({ data: { name: `Lease ${p} ${i}`, code: `L-${p}-${i}` } })),
    );
    const { PullScheduler } = await import('../../src/sync/pull/index.js');
    const { quietLogger } = await import('./sync-fixture.js');
    const other = new PullScheduler({ db: db().db, logger: quietLogger(), flows: [flow], owner: 'hub-b' });
    erp.faults.setLatency(300);
    const first = scheduler.runOnce(flow.name);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const row = await db()
        .db.selectFrom('sync_cursors')
        .selectAll()
        .where('flow', '=', flow.name)
        .executeTakeFirst();
      if (row && (row as { lease_owner?: string | null }).lease_owner === 'hub-a') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await other.runOnce(flow.name)).toMatchObject({ outcome: 'busy', read: 0 });
    expect(await first).toMatchObject({ outcome: 'completed', created: 3 });
    erp.faults.setLatency(0);
    expect(await other.runOnce(flow.name)).toMatchObject({ outcome: 'completed', created: 0, duplicates: 3 });
  });

  it('runs on its schedule once started and stops cleanly', async () => {
    fixture = await pullFixture(db().db);
    const { erp, scheduler, flow } = fixture;
    const p = rand();
    erp.store.seed('customer', [{ data: { name: `Sched ${p}`, code: `SC-${p}` } }]);
    scheduler.start();
    const deadline = Date.now() + 10_000;
    let found = 0;
    while (Date.now() < deadline && found === 0) {
      found = (await listCustomers(db().db, { q: `Sched ${p}` }, { limit: 5 })).data.length;
      if (found === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(found).toBe(1);
    await scheduler.stop();
    const [status] = await scheduler.status();
    expect(status).toMatchObject({ flow: flow.name, pulledTotal: 1, scheduled: false, running: false });
  });

  it('refuses flows it cannot run and unknown flow names', async () => {
    const current = await pullFixture(db().db);
    fixture = current;
    const { PullScheduler } = await import('../../src/sync/pull/index.js');
    const { quietLogger } = await import('./sync-fixture.js');
    const { compileMapping } = await import('../../src/sync/mapping/index.js');
    const compiled = compileMapping({ fields: { shoeSize: { from: 'x', owner: 'erp' } } });
    if (!compiled.ok) throw new Error('mapping');
    expect(
      () =>
        new PullScheduler({
          db: db().db,
          logger: quietLogger(),
          flows: [{ ...current.flow, mapping: compiled.mapping }],
        }),
    ).toThrow(/no writable field\(s\) shoeSize/);
    expect(
      () =>
        new PullScheduler({
          db: db().db,
          logger: quietLogger(),
          flows: [{ ...current.flow, entity: 'work_order' }],
        }),
    ).toThrow(/no inbound applier for entity "work_order"/);
    await expect(current.scheduler.runOnce('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

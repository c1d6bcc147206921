import { afterEach, expect, it } from 'vitest';
import type { ConnectorSession } from '../../src/connectors/sdk/index.js';
import { archiveCustomer, getCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import { customerApplier } from '../../src/sync/inbound/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { eventsOf, outboundCustomerMapping, pullFixture, pullOneCustomer, rand } from './pull-fixture.js';
import { deliveryCounts, quietLogger, waitForSettled } from './sync-fixture.js';

/** The shared customer mapping plus the customer's status, so an archive goes out. */
const outboundMapping = {
  fields: {
    ...outboundCustomerMapping.fields,
    active: {
      from: 'customer.status',
      owner: 'fieldsync',
      transform: [{ valueMap: { map: { active: true, archived: false } } }],
    },
  },
};

// Found in review of the update guard: our own write taken for an ERP edit on the next update, a pull
// landing between the guard's read and its apply, and an archive held back by the ERP's edit.
describeEachEngine('guard races and archived', (db) => {
  let fixture: PullFixture | undefined;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  async function start(session: ConnectorSession, f: PullFixture) {
    const flow = buildOutboundFlow({
      guard: { inbound: f.flow, applier: customerApplier },
      name: `customers-out-${rand()}`,
      eventTypes: ['customer.*'],
      connectorName: f.connector,
      session,
      entity: 'customer',
      operation: 'upsert',
      mapping: outboundMapping,
      batchSize: 20,
      concurrency: 1,
      retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20, jitter: 'none' },
    });
    await setSubscriptions(db().db, { [flow.subscriber]: flow.eventTypes });
    const dispatcher = new Dispatcher({
      db: db().db,
      flows: [flow],
      logger: quietLogger(),
      pollMs: 20,
      leaseMs: 5000,
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    return flow;
  }

  it('a pull landing between the guard read and its apply: the local record is never set back to an older ERP version', async () => {
    fixture = await pullFixture(db().db);
    const f = fixture;
    const { externalId, localId } = await pullOneCustomer(db().db, f);
    let once = true;
    // The outbound session: its readRecords answers with what it read, but only after the ERP edited the
    // record again and a pull applied that newer version (a pull scheduler runs next to the dispatcher).
    const session: ConnectorSession = {
      ...f.session,
      readChanges: f.session.readChanges.bind(f.session),
      readAll: f.session.readAll.bind(f.session),
      writeBatch: f.session.writeBatch.bind(f.session),
      check: f.session.check.bind(f.session),
      close: async () => undefined,
      readRecords: async (entity, ids, options) => {
        const read = await f.session.readRecords!(entity, ids, options);
        if (once) {
          once = false;
          f.erp.store.mutate('customer', externalId, { name: 'Third' });
          await f.scheduler.runOnce(f.flow.name);
        }
        return read;
      },
    };
    f.erp.store.mutate('customer', externalId, { name: 'Second' });
    const out = await start(session, f);
    await updateCustomer(db().db, localId, { phone: '+43 1 900' });
    await waitForSettled(db().db, out.subscriber, 1, 15_000);
    const names = (await eventsOf(db().db, `customer/${localId}`)).map(
      (e) => `${e.type}:${(e.data.customer as { name: string }).name}`,
    );
    expect((await getCustomer(db().db, localId)).name).toBe('Third');
    // After 'Third' was applied, no later event may carry 'Second' again.
    const third = names.findIndex((n) => n.endsWith(':Third'));
    expect(names.slice(third).filter((n) => n.endsWith(':Second'))).toEqual([]);
  });

  it('an archive goes out although the ERP changed an ERP-owned field of the customer since the last pull', async () => {
    fixture = await pullFixture(db().db);
    const f = fixture;
    const { externalId, localId } = await pullOneCustomer(db().db, f);
    f.erp.store.mutate('customer', externalId, { name: 'Renamed in ERP' });
    const out = await start(f.session, f);
    await archiveCustomer(db().db, localId);
    await waitForSettled(db().db, out.subscriber, 1, 20_000);
    expect(await deliveryCounts(db().db, out.subscriber)).toMatchObject({ delivered: 1 });
    expect(f.erp.store.get('customer', externalId)?.data.active).toBe(false);
  });
});

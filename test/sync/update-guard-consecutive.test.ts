import { afterEach, expect, it } from 'vitest';
import { getCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import { listConflicts } from '../../src/sync/conflicts/index.js';
import { customerApplier } from '../../src/sync/inbound/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { outboundCustomerMapping, outboundTo, pullFixture, pullOneCustomer } from './pull-fixture.js';
import { waitForSettled } from './sync-fixture.js';

// Found in review of the update guard: our own write taken for an ERP edit on the next update, a pull
// landing between the guard's read and its apply, and an archive held back by the ERP's edit.
describeEachEngine('guard: two local edits of the same field between pulls', (db) => {
  let fixture: PullFixture | undefined;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await fixture?.close();
    fixture = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  const delivered = (out: { flow: { subscriber: string } }, n: number) =>
    waitForSettled(db().db, out.flow.subscriber, n);

  it('the second phone change reaches the ERP and opens no conflict', async () => {
    fixture = await pullFixture(db().db);
    const { erp, connector } = fixture;
    const { externalId, localId } = await pullOneCustomer(db().db, fixture);
    const out = await outboundTo(db().db, fixture, outboundCustomerMapping, {
      guard: { inbound: fixture.flow, applier: customerApplier },
    });
    out.dispatcher.start();
    stops.push(() => out.dispatcher.stop());

    await updateCustomer(db().db, localId, { phone: '+43 1 201' });
    await delivered(out, 1);
    expect(erp.store.get('customer', externalId)?.data.phone).toBe('+43 1 201');

    // No pull in between (a pull every few minutes is normal): a second edit of our own field.
    await updateCustomer(db().db, localId, { phone: '+43 1 202' });
    await delivered(out, 2);

    const open = (await listConflicts(db().db, { localId, status: 'open', connector }, { limit: 10 })).data;
    expect(open).toHaveLength(0);
    expect(erp.store.get('customer', externalId)?.data.phone).toBe('+43 1 202');
  });

  it('a second local edit of an erp-wins-on-conflict field is not reverted by the echo of the first', async () => {
    fixture = await pullFixture(db().db);
    const { erp, connector } = fixture;
    const { externalId, localId } = await pullOneCustomer(db().db, fixture);
    const out = await outboundTo(db().db, fixture, outboundCustomerMapping, {
      guard: { inbound: fixture.flow, applier: customerApplier },
    });
    out.dispatcher.start();
    stops.push(() => out.dispatcher.stop());
    await updateCustomer(db().db, localId, { legalName: 'First Edit GmbH' });
    await delivered(out, 1);
    await updateCustomer(db().db, localId, { legalName: 'Second Edit GmbH' });
    await delivered(out, 2);
    expect((await listConflicts(db().db, { localId, connector }, { limit: 10 })).data).toEqual([]);
    expect((await getCustomer(db().db, localId)).legalName).toBe('Second Edit GmbH');
    expect(erp.store.get('customer', externalId)?.data.legal).toBe('Second Edit GmbH');
  });
});

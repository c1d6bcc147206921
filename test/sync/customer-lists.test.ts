import { afterEach, expect, it } from 'vitest';
import { addContact, getCustomer } from '../../src/modules/customers/index.js';
import { listConflicts } from '../../src/sync/conflicts/index.js';
import { listPullErrors } from '../../src/sync/pull/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { eventsOf, localIdOf, pullFixture, rand } from './pull-fixture.js';

/** ERP customer → Fieldsync customer with its lists, as the Tryton example maps parties. */
const mapping = {
  fields: {
    code: { from: 'code', owner: 'erp' },
    name: { from: 'name', owner: 'erp', required: true },
    sites: { from: 'sites', owner: 'shared', rule: 'erp-wins-on-conflict' },
    contacts: { from: 'contacts', owner: 'shared', rule: 'erp-wins-on-conflict' },
  },
};

const site = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  line1: `${name} street 1`,
  line2: null,
  city: 'Wien',
  postalCode: '1010',
  country: 'AT',
  isBilling: false,
  status: 'active',
  ...over,
});

// Customers arrive with their addresses as sites and their contacts; later changes to those lists in the
// ERP change the same rows (so work orders and assets keep their site), and nothing is ever deleted.
describeEachEngine('pulled customer sites and contacts', (db) => {
  let fixture: PullFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  async function seedAndPull(f: PullFixture, data: Record<string, unknown>) {
    const [record] = f.erp.store.seed('customer', [
      { data: { name: `Lists ${rand()}`, code: `L-${rand()}`, ...data } },
    ]);
    if (!record) throw new Error('seed');
    await f.scheduler.runOnce(f.flow.name);
    return record.id;
  }

  it('a new customer arrives with its sites in use and its contacts; incomplete and archived addresses create nothing', async () => {
    fixture = await pullFixture(db().db, { mapping });
    const externalId = await seedAndPull(fixture, {
      sites: [
        site('Head office', { isBilling: true }),
        site('Old depot', { status: 'archived' }),
        {
          name: 'PO box',
          line1: null,
          line2: null,
          city: null,
          postalCode: null,
          country: null,
          isBilling: false,
          status: 'active',
        },
      ],
      contacts: [
        { name: 'Ada', email: 'ada@example.com', phone: null },
        { name: 'Bo', email: null, phone: '+43 1 200' },
      ],
    });
    const customer = await getCustomer(db().db, await localIdOf(db().db, fixture.connector, externalId));
    expect(customer.sites.map((s) => [s.name, s.line1, s.city, s.country, s.isBilling, s.status])).toEqual([
      ['Head office', 'Head office street 1', 'Wien', 'AT', true, 'active'],
    ]);
    expect(customer.contacts.map((c) => [c.name, c.email, c.phone, c.status])).toEqual([
      ['Ada', 'ada@example.com', null, 'active'],
      ['Bo', null, '+43 1 200', 'active'],
    ]);
  });

  it('changes in the ERP change the same rows, archive what is gone, add what is new, in one event', async () => {
    fixture = await pullFixture(db().db, { mapping });
    const { erp, scheduler, flow, connector } = fixture;
    const externalId = await seedAndPull(fixture, {
      sites: [site('Head office', { isBilling: true }), site('Plant'), site('Depot')],
      contacts: [
        { name: 'Ada', email: 'ada@example.com', phone: null },
        { name: 'Bo', email: null, phone: '+43 1 200' },
      ],
    });
    const localId = await localIdOf(db().db, connector, externalId);
    const before = await getCustomer(db().db, localId);
    // A contact kept only in Fieldsync (no email, no phone: the ERP could not hold it) is not the ERP's to drop.
    await addContact(db().db, localId, { name: 'Site guard', role: 'gate' });
    const eventsBefore = (await eventsOf(db().db, `customer/${localId}`)).length;

    erp.store.mutate('customer', externalId, {
      sites: [
        site('Head office', { isBilling: true, line1: 'Ring 5' }),
        site('Plant'),
        site('Workshop'),
        // The same name, but the ERP lost the country: our row stays as it is.
        site('Depot', { country: null }),
      ],
      contacts: [{ name: 'Ada', email: 'ada@new.example.com', phone: null }],
    });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, conflicts: 0, pullErrors: 0 });

    const after = await getCustomer(db().db, localId);
    const byName = new Map(after.sites.map((s) => [s.name, s]));
    const idOf = (name: string) => before.sites.find((s) => s.name === name)?.id;
    expect(byName.get('Head office')).toMatchObject({
      id: idOf('Head office'),
      line1: 'Ring 5',
      status: 'active',
    });
    expect(byName.get('Plant')).toMatchObject({ id: idOf('Plant'), status: 'active' });
    expect(byName.get('Depot')).toMatchObject({ id: idOf('Depot'), country: 'AT', status: 'active' });
    expect(byName.get('Workshop')).toMatchObject({ status: 'active' });
    expect(after.contacts.map((c) => [c.name, c.email, c.status])).toEqual([
      ['Ada', 'ada@new.example.com', 'active'],
      ['Bo', null, 'archived'],
      ['Site guard', null, 'active'],
    ]);
    const events = (await eventsOf(db().db, `customer/${localId}`)).slice(eventsBefore);
    expect(events.map((e) => [e.type, e.data.changedFields])).toEqual([
      ['customer.updated', ['sites', 'contacts']],
    ]);

    // Pulling the same version again, or everything again, changes nothing and opens nothing.
    expect(await scheduler.runOnce(flow.name, { rewind: 'start' })).toMatchObject({
      updated: 0,
      conflicts: 0,
    });
    expect((await eventsOf(db().db, `customer/${localId}`)).length).toBe(eventsBefore + 1);
    // Both sides changed the contacts (the guard was added here): the rule settled it for the ERP,
    // recorded as resolved, and the contact the ERP cannot hold stayed.
    const conflicts = (await listConflicts(db().db, { localId }, { limit: 10 })).data;
    expect(conflicts.map((c) => [c.field, c.status, c.resolution, c.resolvedBy])).toEqual([
      ['contacts', 'resolved', 'take_erp', 'rule:erp-wins-on-conflict'],
    ]);

    // Removing a site in the ERP archives it here; the row stays for the work orders that point at it.
    erp.store.mutate('customer', externalId, {
      sites: [
        site('Head office', { isBilling: true, line1: 'Ring 5' }),
        site('Workshop'),
        site('Depot', { country: null }),
      ],
    });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1 });
    const plant = (await getCustomer(db().db, localId)).sites.find((s) => s.name === 'Plant');
    expect(plant).toMatchObject({ id: idOf('Plant'), status: 'archived' });
  });

  it('a contact with an email our rules refuse holds the record as a pull error and writes nothing', async () => {
    fixture = await pullFixture(db().db, { mapping });
    const { erp, scheduler, flow, connector } = fixture;
    const externalId = await seedAndPull(fixture, {
      sites: [site('Head office')],
      contacts: [{ name: 'Ada', email: 'ada@example.com', phone: null }],
    });
    const localId = await localIdOf(db().db, connector, externalId);
    erp.store.mutate('customer', externalId, {
      name: 'Renamed too',
      contacts: [{ name: 'Ada', email: 'not an email', phone: null }],
    });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ pullErrors: 1, updated: 0 });
    const [error] = (await listPullErrors(db().db, { flow: flow.name })).data;
    expect(error?.message).toMatch(/contact 1.*email/);
    expect(await getCustomer(db().db, localId)).toMatchObject({
      name: expect.not.stringMatching('Renamed too'),
      contacts: [expect.objectContaining({ email: 'ada@example.com' })],
    });

    erp.store.mutate('customer', externalId, {
      contacts: [{ name: 'Ada', email: 'ada@fixed.example.com', phone: null }],
    });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    expect(await getCustomer(db().db, localId)).toMatchObject({
      name: 'Renamed too',
      contacts: [expect.objectContaining({ email: 'ada@fixed.example.com' })],
    });
  });
});

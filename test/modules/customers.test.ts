import { expect, it } from 'vitest';
import {
  addContact,
  addSite,
  archiveCustomer,
  createCustomer,
  getCustomer,
  listCustomers,
  updateContact,
  updateCustomer,
  updateSite,
} from '../../src/modules/customers/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

describeEachEngine('customers service', (db) => {
  it('creates a customer with sites and contacts and announces it', async () => {
    const c = await createCustomer(db().db, {
      code: 'CUS-1',
      name: 'Brewery Van Damme',
      sites: [
        { name: 'Plant', line1: 'Kaai 3', city: 'Gent', country: 'BE', region: 'north', isBilling: true },
        { name: 'Depot', line1: 'Weg 9', city: 'Namur', country: 'BE', region: 'south' },
      ],
      contacts: [{ name: 'Els', email: 'els@example.com', role: 'maintenance lead' }],
    });
    expect(c).toMatchObject({ code: 'CUS-1', status: 'active', version: 1, currency: 'EUR' });
    expect(c.sites.map((s) => s.name).sort()).toEqual(['Depot', 'Plant']);
    expect(c.sites.find((s) => s.name === 'Plant')?.isBilling).toBe(true);
    expect(c.contacts[0]?.email).toBe('els@example.com');
    expect(await getCustomer(db().db, c.id)).toEqual(c);
  });

  it('records which fields an update changed, and skips no-op updates', async () => {
    const c = await createCustomer(db().db, { name: 'Updatable', email: 'a@example.com' });
    const u = await updateCustomer(db().db, c.id, { name: 'Updated', email: 'a@example.com' }, 1);
    expect(u.version).toBe(2);
    const same = await updateCustomer(db().db, c.id, { name: 'Updated' });
    expect(same.version).toBe(2);
    const events = await readEvents(db().db, { subject: `customer/${c.id}` });
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.updated']);
    expect((events[1]?.data as { changedFields: string[] }).changedFields).toEqual(['name']);
  });

  it('merges external references instead of replacing them', async () => {
    const c = await createCustomer(db().db, { name: 'Refs', externalRefs: { tryton: '12' } });
    const u = await updateCustomer(db().db, c.id, { externalRefs: { erpnext: 'CUST-0001' } });
    expect(u.externalRefs).toEqual({ tryton: '12', erpnext: 'CUST-0001' });
  });

  it('manages sites and contacts, each change bumping the customer version', async () => {
    const c = await createCustomer(db().db, { name: 'Sites Co' });
    const withSite = await addSite(db().db, c.id, {
      name: 'North',
      line1: 'A 1',
      city: 'Antwerp',
      country: 'BE',
      region: 'north',
    });
    const siteId = withSite.sites[0]?.id ?? '';
    const moved = await updateSite(db().db, c.id, siteId, { city: 'Mechelen' }, withSite.version);
    expect(moved.sites[0]?.city).toBe('Mechelen');
    const withContact = await addContact(db().db, c.id, { name: 'Jo' });
    const archived = await updateContact(db().db, c.id, withContact.contacts[0]?.id ?? '', {
      status: 'archived',
    });
    expect(archived.contacts[0]?.status).toBe('archived');
    expect(archived.version).toBe(5);
    await expect(updateSite(db().db, c.id, 'nope', { city: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a second customer with the same code, naming the holder', async () => {
    const a = await createCustomer(db().db, { name: 'A', code: 'SAME' });
    await expect(createCustomer(db().db, { name: 'B', code: 'SAME' })).rejects.toMatchObject({
      code: 'conflict',
      details: { conflictingId: a.id },
    });
    const b = await createCustomer(db().db, { name: 'B', code: 'OTHER' });
    await expect(updateCustomer(db().db, b.id, { code: 'SAME' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('archives, after which updates are refused', async () => {
    const c = await createCustomer(db().db, { name: 'Gone' });
    const a = await archiveCustomer(db().db, c.id);
    expect(a.status).toBe('archived');
    await expect(updateCustomer(db().db, c.id, { name: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    const events = await readEvents(db().db, { subject: `customer/${c.id}` });
    expect(events.at(-1)?.type).toBe('customer.archived');
  });

  it('lists with filters and walks every page exactly once', async () => {
    const tag = `page-${Date.now()}`;
    for (let i = 0; i < 7; i += 1) {
      await createCustomer(db().db, {
        name: `${tag} ${i}`,
        sites: [
          {
            name: 's',
            line1: 'l',
            city: 'c',
            country: 'BE',
            region: i % 2 === 0 ? `${tag}-even` : `${tag}-odd`,
          },
        ],
      });
    }
    const seen: string[] = [];
    let afterId: string | undefined;
    for (let guard = 0; guard < 10; guard += 1) {
      const page = await listCustomers(db().db, { q: tag }, { limit: 3, afterId });
      seen.push(...page.data.map((c) => c.name));
      if (!page.nextAfterId) break;
      afterId = page.nextAfterId;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const even = await listCustomers(db().db, { region: `${tag}-even` }, { limit: 50 });
    expect(even.data).toHaveLength(4);
    const likeEscaped = await listCustomers(db().db, { q: '%' }, { limit: 50 });
    expect(likeEscaped.data).toHaveLength(0);
  });
});

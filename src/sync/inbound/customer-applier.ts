import type { Customer } from '../../modules/customers/index.js';
import {
  createCustomer,
  customerCreateSchema,
  customerPatchSchema,
  getCustomer,
  listCustomers,
  replaceCustomerLists,
  updateCustomer,
} from '../../modules/customers/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { readLocal } from './applier.js';
import { parsePulled, withoutNulls } from './applier.js';
import { comparedLists, pulledContacts, pulledSites } from './customer-lists.js';

const toLocal = (c: Customer): LocalRecord => ({
  id: c.id,
  version: c.version,
  updatedAt: c.updatedAt,
  data: c,
  compared: { ...c, ...comparedLists(c) },
});

const read = readLocal(getCustomer, toLocal);

/**
 * Customers with their sites and contacts, matched by `code`. The lists are complete lists from the ERP:
 * rows are matched by name and changed in place, and rows the ERP no longer has are archived
 * (`replaceCustomerLists`).
 */
export const customerApplier: InboundApplier = {
  entity: 'customer',
  eventKey: 'customer',
  fields: ['code', 'name', 'legalName', 'taxId', 'email', 'phone', 'currency', 'sites', 'contacts'],
  read,
  async findMatch(executor, values) {
    const code = values.code;
    if (typeof code !== 'string' || code === '') return undefined;
    const found = await listCustomers(executor, { code }, { limit: 1 });
    const customer = found.data[0];
    return customer ? toLocal(customer) : undefined;
  },
  async create(uow, values) {
    const { sites, contacts, ...header } = withoutNulls(values);
    const input = parsePulled(customerCreateSchema, header, 'customer');
    const created = await createCustomer(uow, {
      ...input,
      // A new customer starts with the ERP's sites in use; archived addresses are history it never had.
      sites: pulledSites(sites)
        .sites.filter((site) => site.status === 'active')
        .map(({ status: _status, ...site }) => site),
      contacts: pulledContacts(contacts),
    });
    return toLocal(created);
  },
  async update(uow, id, patch, expectedVersion) {
    const { sites, contacts, ...header } = patch;
    let version: number | undefined = expectedVersion;
    let customer: Customer | undefined;
    if (Object.keys(header).length > 0) {
      const input = parsePulled(customerPatchSchema, header, 'customer change');
      customer = await updateCustomer(uow, id, input, version);
      version = customer.version;
    }
    if (sites !== undefined || contacts !== undefined) {
      const pulled = sites === undefined ? undefined : pulledSites(sites);
      customer = await replaceCustomerLists(
        uow,
        id,
        {
          ...(pulled && { sites: pulled.sites, keepSites: pulled.keep }),
          ...(contacts !== undefined && { contacts: pulledContacts(contacts) }),
        },
        version,
      );
    }
    return toLocal(customer ?? (await getCustomer(uow, id)));
  },
};

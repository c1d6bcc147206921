import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { containsAny } from '../../platform/db/index.js';
import type { Contact, Customer, CustomerListFilter, Site } from './schemas.js';
import type { CustomerContactsTable, CustomerSitesTable, CustomersTable } from './tables.js';

type CustomerRow = Selectable<CustomersTable>;

export function siteFromRow(row: Selectable<CustomerSitesTable>): Site {
  return {
    id: row.id,
    name: row.name,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    postalCode: row.postal_code,
    country: row.country,
    region: row.region,
    isBilling: Number(row.is_billing) === 1,
    status: row.status === 'archived' ? 'archived' : 'active',
  };
}

export function contactFromRow(row: Selectable<CustomerContactsTable>): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    role: row.role,
    status: row.status === 'archived' ? 'archived' : 'active',
  };
}

function customerFromRow(row: CustomerRow, sites: Site[], contacts: Contact[]): Customer {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    legalName: row.legal_name,
    taxId: row.tax_id,
    email: row.email,
    phone: row.phone,
    currency: row.currency,
    status: row.status === 'archived' ? 'archived' : 'active',
    externalRefs: JSON.parse(row.external_refs) as Record<string, string>,
    sites,
    contacts,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Loads customers with their sites and contacts in three queries, whatever the page size. */
export async function hydrate(db: Kysely<Database>, rows: CustomerRow[]): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [sites, contacts] = await Promise.all([
    db.selectFrom('customer_sites').selectAll().where('customer_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('customer_contacts').selectAll().where('customer_id', 'in', ids).orderBy('id').execute(),
  ]);
  return rows.map((row) =>
    customerFromRow(
      row,
      sites.filter((s) => s.customer_id === row.id).map(siteFromRow),
      contacts.filter((k) => k.customer_id === row.id).map(contactFromRow),
    ),
  );
}

export async function findCustomerRow(db: Kysely<Database>, id: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCustomerByCode(
  db: Kysely<Database>,
  code: string,
): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listCustomerRows(
  db: Kysely<Database>,
  filter: CustomerListFilter,
  page: { limit: number; afterId?: string },
): Promise<CustomerRow[]> {
  let query = db
    .selectFrom('customers')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.code) query = query.where('code', '=', filter.code);
  if (filter.updatedSince)
    query = query.where('updated_at', '>=', new Date(filter.updatedSince).toISOString());
  if (filter.q) query = query.where(containsAny(['name', 'code'], filter.q));
  if (filter.region) {
    const region = filter.region;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('customer_sites')
          .select('customer_sites.id')
          .whereRef('customer_sites.customer_id', '=', 'customers.id')
          .where('customer_sites.region', '=', region),
      ),
    );
  }
  return query.execute();
}

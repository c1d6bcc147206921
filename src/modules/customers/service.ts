import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import { findCustomerByCode, findCustomerRow, hydrate, listCustomerRows } from './repository.js';
import type {
  ContactInput,
  ContactPatch,
  Customer,
  CustomerCreate,
  CustomerListFilter,
  CustomerPatch,
  SiteInput,
  SitePatch,
} from './schemas.js';
import { customerCreateSchema } from './schemas.js';

export const CustomerEvents = {
  created: 'customer.created',
  updated: 'customer.updated',
  archived: 'customer.archived',
} as const;

const subjectOf = (id: string) => `customer/${id}`;

async function assertCodeFree(
  db: Kysely<Database>,
  code: string | null | undefined,
  selfId?: string,
): Promise<void> {
  if (!code) return;
  const other = await findCustomerByCode(db, code);
  if (other && other.id !== selfId) {
    throw errors.conflict(`customer code ${code} is already used by customer ${other.id}`, {
      field: 'code',
      conflictingId: other.id,
    });
  }
}

function translateUnique(error: unknown, code: string | null | undefined): never {
  if (isUniqueViolation(error))
    throw errors.conflict(`customer code ${code ?? ''} is already used`, { field: 'code' });
  throw error;
}

/** Module-internal helpers below are exported for `lists.ts`; `index.ts` does not re-export them. */
export async function load(db: Kysely<Database>, id: string): Promise<Customer> {
  const row = await findCustomerRow(db, id);
  if (!row) throw errors.notFound('customer', id);
  const [customer] = await hydrate(db, [row]);
  return customer as Customer;
}

export function siteRow(customerId: string, site: SiteInput, now: string) {
  return {
    id: newId(),
    customer_id: customerId,
    name: site.name,
    line1: site.line1,
    line2: site.line2 ?? null,
    city: site.city,
    postal_code: site.postalCode ?? null,
    country: site.country,
    region: site.region ?? null,
    is_billing: site.isBilling ? 1 : 0,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
}

export function contactRow(customerId: string, contact: ContactInput, now: string) {
  return {
    id: newId(),
    customer_id: customerId,
    name: contact.name,
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    role: contact.role ?? null,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
}

export async function createCustomer(executor: Executor, raw: CustomerCreate): Promise<Customer> {
  const input = customerCreateSchema.parse(raw);
  return inTransaction(executor, async (uow) => {
    await assertCodeFree(uow.tx, input.code);
    const now = nowIso();
    const id = newId();
    try {
      await uow.tx
        .insertInto('customers')
        .values({
          id,
          code: input.code ?? null,
          name: input.name,
          legal_name: input.legalName ?? null,
          tax_id: input.taxId ?? null,
          email: input.email ?? null,
          phone: input.phone ?? null,
          currency: input.currency,
          status: 'active',
          external_refs: JSON.stringify(input.externalRefs ?? {}),
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      translateUnique(error, input.code);
    }
    if (input.sites.length > 0)
      await uow.tx
        .insertInto('customer_sites')
        .values(input.sites.map((s) => siteRow(id, s, now)))
        .execute();
    if (input.contacts.length > 0) {
      await uow.tx
        .insertInto('customer_contacts')
        .values(input.contacts.map((k) => contactRow(id, k, now)))
        .execute();
    }
    const customer = await load(uow.tx, id);
    await uow.emit({ type: CustomerEvents.created, subject: subjectOf(id), data: { customer } });
    return customer;
  });
}

export function getCustomer(executor: Executor, id: string): Promise<Customer> {
  return load(queryable(executor), id);
}

export async function listCustomers(
  executor: Executor,
  filter: CustomerListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: Customer[]; nextAfterId: string | null }> {
  const db = queryable(executor);
  const rows = await listCustomerRows(db, filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: await hydrate(db, pageRows),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

/** Bumps the version, re-reads, and announces which fields changed. */
export async function touch(
  uow: UnitOfWork,
  id: string,
  changedFields: string[],
  type: string = CustomerEvents.updated,
): Promise<Customer> {
  await uow.tx
    .updateTable('customers')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .execute();
  const customer = await load(uow.tx, id);
  await uow.emit({ type, subject: subjectOf(id), data: { customer, changedFields } });
  return customer;
}

export async function lockForChange(uow: UnitOfWork, id: string, expectedVersion: number | undefined) {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('customers').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('customer', id);
  assertVersion('customer', id, Number(row.version), expectedVersion);
  return row;
}

const columnOf: Record<string, string> = {
  code: 'code',
  name: 'name',
  legalName: 'legal_name',
  taxId: 'tax_id',
  email: 'email',
  phone: 'phone',
  currency: 'currency',
};

export async function updateCustomer(
  executor: Executor,
  id: string,
  patch: CustomerPatch,
  expectedVersion?: number,
): Promise<Customer> {
  return inTransaction(executor, async (uow) => {
    const row = await lockForChange(uow, id, expectedVersion);
    if (row.status === 'archived')
      throw errors.conflict(`customer ${id} is archived`, { status: row.status });
    if (patch.code !== undefined) await assertCodeFree(uow.tx, patch.code, id);
    const values: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(columnOf)) {
      const value = (patch as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if ((row as Record<string, unknown>)[column] !== value) {
        values[column] = value;
        changed.push(field);
      }
    }
    if (patch.externalRefs !== undefined) {
      const merged = { ...(JSON.parse(row.external_refs) as Record<string, string>), ...patch.externalRefs };
      if (JSON.stringify(merged) !== row.external_refs) {
        values.external_refs = JSON.stringify(merged);
        changed.push('externalRefs');
      }
    }
    if (changed.length === 0) return load(uow.tx, id);
    try {
      await uow.tx.updateTable('customers').set(values).where('id', '=', id).execute();
    } catch (error) {
      translateUnique(error, patch.code);
    }
    return touch(uow, id, changed);
  });
}

export async function archiveCustomer(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<Customer> {
  return inTransaction(executor, async (uow) => {
    const row = await lockForChange(uow, id, expectedVersion);
    if (row.status === 'archived') return load(uow.tx, id);
    await uow.tx.updateTable('customers').set({ status: 'archived' }).where('id', '=', id).execute();
    return touch(uow, id, ['status'], CustomerEvents.archived);
  });
}

export async function addSite(
  executor: Executor,
  customerId: string,
  site: SiteInput,
  expectedVersion?: number,
) {
  return inTransaction(executor, async (uow) => {
    await lockForChange(uow, customerId, expectedVersion);
    await uow.tx
      .insertInto('customer_sites')
      .values(siteRow(customerId, site, nowIso()))
      .execute();
    return touch(uow, customerId, ['sites']);
  });
}

export async function updateSite(
  executor: Executor,
  customerId: string,
  siteId: string,
  patch: SitePatch & { status?: 'active' | 'archived' },
  expectedVersion?: number,
) {
  return inTransaction(executor, async (uow) => {
    await lockForChange(uow, customerId, expectedVersion);
    const site = await uow.tx
      .selectFrom('customer_sites')
      .select('id')
      .where('id', '=', siteId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!site) throw errors.notFound('site', siteId);
    await uow.tx
      .updateTable('customer_sites')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.line1 !== undefined && { line1: patch.line1 }),
        ...(patch.line2 !== undefined && { line2: patch.line2 }),
        ...(patch.city !== undefined && { city: patch.city }),
        ...(patch.postalCode !== undefined && { postal_code: patch.postalCode }),
        ...(patch.country !== undefined && { country: patch.country }),
        ...(patch.region !== undefined && { region: patch.region }),
        ...(patch.isBilling !== undefined && { is_billing: patch.isBilling ? 1 : 0 }),
        ...(patch.status !== undefined && { status: patch.status }),
        updated_at: nowIso(),
      })
      .where('id', '=', siteId)
      .execute();
    return touch(uow, customerId, ['sites']);
  });
}

export async function addContact(
  executor: Executor,
  customerId: string,
  contact: ContactInput,
  expectedVersion?: number,
) {
  return inTransaction(executor, async (uow) => {
    await lockForChange(uow, customerId, expectedVersion);
    await uow.tx
      .insertInto('customer_contacts')
      .values(contactRow(customerId, contact, nowIso()))
      .execute();
    return touch(uow, customerId, ['contacts']);
  });
}

export async function updateContact(
  executor: Executor,
  customerId: string,
  contactId: string,
  patch: ContactPatch & { status?: 'active' | 'archived' },
  expectedVersion?: number,
) {
  return inTransaction(executor, async (uow) => {
    await lockForChange(uow, customerId, expectedVersion);
    const result = await uow.tx
      .updateTable('customer_contacts')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.email !== undefined && { email: patch.email }),
        ...(patch.phone !== undefined && { phone: patch.phone }),
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.status !== undefined && { status: patch.status }),
        updated_at: nowIso(),
      })
      .where('id', '=', contactId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw errors.notFound('contact', contactId);
    return touch(uow, customerId, ['contacts']);
  });
}

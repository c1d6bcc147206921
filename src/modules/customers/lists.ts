import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import type { ContactInput, Customer, SiteInput } from './schemas.js';
import { contactRow, load, lockForChange, siteRow, touch } from './service.js';

type Status = 'active' | 'archived';

/** A site as another system holds it: the input fields plus whether it is still in use. */
export type SiteState = SiteInput & { status: Status };

export interface CustomerLists {
  /** Every site the customer should have, in order; sites not named here are archived. */
  sites?: readonly SiteState[];
  /**
   * Names of sites the other system has but cannot describe fully (an address without a country it
   * knows): rows of those names are left as they are, neither changed nor archived.
   */
  keepSites?: readonly string[];
  /**
   * Every active contact the customer should have. Contacts not named here are archived, except those
   * with neither email nor phone: the other system has no way to hold them, so it cannot have dropped them.
   */
  contacts?: readonly ContactInput[];
}

/**
 * Brings a customer's sites and contacts in line with a complete list from another system (an ERP pull),
 * in one transaction and with one `customer.updated` event. Existing rows are matched by name (then by
 * street and city for sites) and changed in place, so work orders and assets keep pointing at their
 * site; rows the list no longer names are archived, never deleted.
 */
export async function replaceCustomerLists(
  executor: Executor,
  id: string,
  lists: CustomerLists,
  expectedVersion?: number,
): Promise<Customer> {
  return inTransaction(executor, async (uow) => {
    await lockForChange(uow, id, expectedVersion);
    const changed: string[] = [];
    if (lists.sites && (await reconcileSites(uow.tx, id, lists.sites, lists.keepSites ?? [])))
      changed.push('sites');
    if (lists.contacts && (await reconcileContacts(uow.tx, id, lists.contacts))) changed.push('contacts');
    if (changed.length === 0) return load(uow.tx, id);
    return touch(uow, id, changed);
  });
}

/** Picks, for each wanted entry, the first unused row that `same` accepts, trying each rule in turn. */
function matchRows<R extends { id: string }, W>(
  rows: readonly R[],
  wanted: readonly W[],
  rules: readonly ((row: R, want: W) => boolean)[],
): Map<W, R> {
  const used = new Set<string>();
  const out = new Map<W, R>();
  for (const rule of rules) {
    for (const want of wanted) {
      if (out.has(want)) continue;
      const row = rows.find((r) => !used.has(r.id) && rule(r, want));
      if (row) {
        used.add(row.id);
        out.set(want, row);
      }
    }
  }
  return out;
}

/** Archives the rows (never deletes: work orders and assets point at them); true when there were any. */
async function archiveRows(
  tx: Kysely<Database>,
  table: 'customer_sites' | 'customer_contacts',
  ids: readonly string[],
  now: string,
): Promise<boolean> {
  if (ids.length === 0) return false;
  await tx.updateTable(table).set({ status: 'archived', updated_at: now }).where('id', 'in', ids).execute();
  return true;
}

async function reconcileSites(
  tx: Kysely<Database>,
  customerId: string,
  wanted: readonly SiteState[],
  keep: readonly string[],
): Promise<boolean> {
  const all = await tx
    .selectFrom('customer_sites')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const kept = matchRows(
    all,
    keep.map((name) => ({ name })),
    [(r, k) => r.name === k.name],
  );
  const keptIds = new Set([...kept.values()].map((r) => r.id));
  const rows = all.filter((r) => !keptIds.has(r.id));
  const matched = matchRows(rows, wanted, [
    (r, w) => r.name === w.name,
    (r, w) => r.line1 === w.line1 && r.city === w.city,
  ]);
  const now = nowIso();
  let changed = false;
  for (const want of wanted) {
    const row = matched.get(want);
    if (!row) {
      await tx
        .insertInto('customer_sites')
        .values({ ...siteRow(customerId, want, now), status: want.status })
        .execute();
      changed = true;
      continue;
    }
    const next = {
      name: want.name,
      line1: want.line1,
      line2: want.line2 ?? null,
      city: want.city,
      postal_code: want.postalCode ?? null,
      country: want.country,
      // The other system has no regions: keep ours unless it names one.
      region: want.region ?? row.region,
      is_billing: want.isBilling ? 1 : 0,
      status: want.status,
    };
    const differs = (Object.keys(next) as (keyof typeof next)[]).some(
      (k) => String(next[k]) !== String(row[k]),
    );
    if (!differs) continue;
    await tx
      .updateTable('customer_sites')
      .set({ ...next, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    changed = true;
  }
  const matchedIds = new Set([...matched.values()].map((r) => r.id));
  const gone = rows.filter((r) => !matchedIds.has(r.id) && r.status === 'active').map((r) => r.id);
  return (await archiveRows(tx, 'customer_sites', gone, now)) || changed;
}

async function reconcileContacts(
  tx: Kysely<Database>,
  customerId: string,
  wanted: readonly ContactInput[],
): Promise<boolean> {
  const rows = await tx
    .selectFrom('customer_contacts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  // Active rows first, so a contact that comes back reuses the live row rather than an archived twin.
  const ordered = [
    ...rows.filter((r) => r.status === 'active'),
    ...rows.filter((r) => r.status !== 'active'),
  ];
  const matched = matchRows(ordered, wanted, [(r, w) => r.name === w.name]);
  const now = nowIso();
  let changed = false;
  for (const want of wanted) {
    const row = matched.get(want);
    if (!row) {
      await tx
        .insertInto('customer_contacts')
        .values(contactRow(customerId, want, now))
        .execute();
      changed = true;
      continue;
    }
    const next = {
      email: want.email ?? null,
      phone: want.phone ?? null,
      role: want.role ?? row.role,
      status: 'active',
    };
    if (
      next.email === row.email &&
      next.phone === row.phone &&
      next.role === row.role &&
      row.status === 'active'
    )
      continue;
    await tx
      .updateTable('customer_contacts')
      .set({ ...next, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    changed = true;
  }
  const matchedIds = new Set([...matched.values()].map((r) => r.id));
  const gone = rows
    .filter((r) => !matchedIds.has(r.id) && r.status === 'active' && (r.email !== null || r.phone !== null))
    .map((r) => r.id);
  return (await archiveRows(tx, 'customer_contacts', gone, now)) || changed;
}

import type { Customer, CustomerPatch, Site } from '../../../../../modules/customers/index.js';
import {
  addSite,
  createCustomer,
  listCustomers,
  updateCustomer,
  updateSite,
} from '../../../../../modules/customers/index.js';
import type { Executor } from '../../../../../platform/outbox/index.js';
import { errors } from '../../../../../shared/errors/index.js';
import type { CustomerImport } from '../../../schemas/index.js';

function siteOf(customer: Customer): Site | undefined {
  const active = customer.sites.filter((s) => s.status === 'active');
  return active.find((s) => s.isBilling) ?? active[0];
}

const hasAddress = (row: CustomerImport) =>
  row.street !== undefined ||
  row.city !== undefined ||
  row.postalCode !== undefined ||
  row.country !== undefined;

function completeAddress(row: CustomerImport): {
  line1: string;
  city: string;
  country: string;
  postalCode?: string;
} {
  if (row.street === undefined || row.city === undefined || row.country === undefined) {
    const missing = (['street', 'city', 'country'] as const).filter((f) => row[f] === undefined);
    throw errors.validation(
      `a new address needs street, city and country (missing: ${missing.join(', ')})`,
      missing.map((f) => ({ path: [f], message: 'required for a new address' })),
    );
  }
  return {
    line1: row.street,
    city: row.city,
    country: row.country,
    ...(row.postalCode !== undefined && { postalCode: row.postalCode }),
  };
}

/**
 * customers rows, keyed by code: create, or update the fields the row gives (empty cells leave a field as
 * it is). The address goes to the customer's billing site (or first active site), or becomes one.
 */
export async function applyCustomer(db: Executor, row: CustomerImport): Promise<void> {
  const found = (await listCustomers(db, { code: row.code }, { limit: 1 })).data[0];
  if (found === undefined) {
    await createCustomer(db, {
      code: row.code,
      name: row.name,
      ...(row.email !== undefined && { email: row.email }),
      ...(row.phone !== undefined && { phone: row.phone }),
      ...(row.taxId !== undefined && { taxId: row.taxId }),
      currency: row.currency ?? 'EUR',
      sites: hasAddress(row) ? [{ name: 'Main', isBilling: true, ...completeAddress(row) }] : [],
    });
    return;
  }
  const patch: CustomerPatch = {
    name: row.name,
    ...(row.email !== undefined && { email: row.email }),
    ...(row.phone !== undefined && { phone: row.phone }),
    ...(row.taxId !== undefined && { taxId: row.taxId }),
    ...(row.currency !== undefined && { currency: row.currency }),
  };
  const updated = await updateCustomer(db, found.id, patch);
  if (!hasAddress(row)) return;
  const site = siteOf(updated);
  if (site === undefined) {
    await addSite(db, found.id, { name: 'Main', isBilling: true, ...completeAddress(row) });
    return;
  }
  const sitePatch = {
    ...(row.street !== undefined && row.street !== site.line1 && { line1: row.street }),
    ...(row.city !== undefined && row.city !== site.city && { city: row.city }),
    ...(row.postalCode !== undefined && row.postalCode !== site.postalCode && { postalCode: row.postalCode }),
    ...(row.country !== undefined && row.country !== site.country && { country: row.country }),
  };
  if (Object.keys(sitePatch).length > 0) await updateSite(db, found.id, site.id, sitePatch);
}

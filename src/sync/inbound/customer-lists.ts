import type { Customer, SiteState } from '../../modules/customers/index.js';
import { contactInputSchema, siteInputSchema } from '../../modules/customers/index.js';
import { errors } from '../../shared/errors/index.js';
import { parsePulled, withoutNulls } from './applier.js';

/**
 * Customer sites and contacts as an ERP pull sees them. The ERP side arrives in the shapes the Tryton
 * party read produces (`sites: [{ name, line1, line2, city, postalCode, country, isBilling, status }]`,
 * `contacts: [{ name, email, phone }]`); the local side is compared in the same shapes.
 */

const siteKeys = ['name', 'line1', 'line2', 'city', 'postalCode', 'country', 'isBilling', 'status'] as const;

/** The customer's lists in the ERP's shapes: every site with its state, the active contacts. */
export function comparedLists(c: Customer): { sites: unknown[]; contacts: unknown[] } {
  return {
    sites: c.sites.map((s) => Object.fromEntries(siteKeys.map((k) => [k, s[k] ?? null]))),
    contacts: c.contacts
      .filter((k) => k.status === 'active')
      .map((k) => ({ name: k.name, email: k.email, phone: k.phone })),
  };
}

const asList = (value: unknown, field: string): Record<string, unknown>[] => {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value))
    throw errors.validation(`pulled ${field} must be a list`, [{ path: [field], message: 'a list' }]);
  return value.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw errors.validation(`pulled ${field}[${i}] must be an object`, [
        { path: [field, i], message: 'an object' },
      ]);
    return entry as Record<string, unknown>;
  });
};

/**
 * Pulled addresses as sites. An address without street, city or country is no place a technician can
 * be sent to, so it creates no site; a site of the same name we already have is kept as it is (its
 * country may simply not be loaded in the ERP). The snapshot remembers the ERP's whole list, so
 * leaving such an address out does not read as a change on the next pull.
 */
export function pulledSites(value: unknown): { sites: SiteState[]; keep: string[] } {
  const keep: string[] = [];
  const sites = asList(value, 'sites').flatMap((raw, i): SiteState[] => {
    const { status, ...fields } = withoutNulls(raw);
    if (fields.line1 === undefined || fields.city === undefined || fields.country === undefined) {
      if (typeof fields.name === 'string') keep.push(fields.name);
      return [];
    }
    const input = parsePulled(
      siteInputSchema,
      {
        ...Object.fromEntries(
          siteKeys.filter((k) => k !== 'status' && k in fields).map((k) => [k, fields[k]]),
        ),
        name: fields.name ?? fields.line1,
      },
      `site ${i + 1}`,
    );
    return [{ ...input, status: status === 'archived' ? 'archived' : 'active' }];
  });
  return { sites, keep };
}

/** Pulled contacts; one without a name cannot be matched again and is left out. */
export function pulledContacts(value: unknown) {
  return asList(value, 'contacts').flatMap((raw, i) => {
    const fields = withoutNulls(raw);
    if (fields.name === undefined) return [];
    const picked = Object.fromEntries(
      (['name', 'email', 'phone', 'role'] as const).filter((k) => k in fields).map((k) => [k, fields[k]]),
    );
    return [parsePulled(contactInputSchema, picked, `contact ${i + 1}`)];
  });
}

import { ConnectorError } from '../../../sdk/connector-error.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import type { AddressValues, MechanismValues, PartyPayload } from './party-payload.js';

export interface ExistingAddress {
  id: number;
  party: number;
  name: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: number | null;
  active: boolean;
}

export interface ExistingMechanism {
  id: number;
  party: number;
  type: string;
  value: string | null;
}

/** Sites → Tryton addresses. The billing site comes first: Tryton invoices the first address. */
export async function addressesOf(rt: TrytonRuntime, payload: PartyPayload): Promise<AddressValues[]> {
  const sites = [...(payload.sites ?? [])].sort(
    (a, b) => Number(b.isBilling ?? false) - Number(a.isBilling ?? false),
  );
  const out: AddressValues[] = [];
  for (const [i, site] of sites.entries()) {
    let country: number | null = null;
    if (site.country) {
      country = await rt.resolver.country(site.country);
      if (country === null && rt.config.unknownCountry === 'error') {
        throw new ConnectorError('validation', `country ${site.country} is not loaded in Tryton`, {
          vendorDetail: { kind: 'reference', what: 'country', ref: site.country },
        });
      }
    }
    const street = [site.line1, site.line2]
      .filter((s): s is string => typeof s === 'string' && s !== '')
      .join('\n');
    out.push({
      name: site.name ?? null,
      street: street === '' ? null : street,
      postal_code: site.postalCode ?? null,
      city: site.city ?? null,
      country,
      active: site.status !== 'archived',
      sequence: (i + 1) * 10,
    });
  }
  return out;
}

const same = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null);

/**
 * One2Many commands that bring a party's addresses in line with the sites: a site matches the address of
 * the same name (else the same street and city); changed fields are written, new sites added. Addresses
 * without a site are left alone: the ERP may keep addresses Fieldsync does not know.
 */
export function addressCommands(
  existing: readonly ExistingAddress[],
  wanted: readonly AddressValues[],
): unknown[] {
  const free = [...existing];
  const creates: AddressValues[] = [];
  const commands: unknown[] = [];
  for (const address of wanted) {
    const index = free.findIndex(
      (a) =>
        (address.name !== null && a.name === address.name) ||
        (address.name === null && same(a.street, address.street) && same(a.city, address.city)),
    );
    if (index === -1) {
      creates.push(address);
      continue;
    }
    const match = free.splice(index, 1)[0] as ExistingAddress;
    const changes: Record<string, unknown> = {};
    for (const key of ['street', 'postal_code', 'city', 'active'] as const) {
      if (!same(match[key], address[key])) changes[key] = address[key];
    }
    // An unknown country (not loaded in Tryton) never clears one the ERP has.
    if (address.country !== null && !same(match.country, address.country)) changes.country = address.country;
    if (Object.keys(changes).length > 0) commands.push(['write', [match.id], changes]);
  }
  if (creates.length > 0) commands.push(['create', creates]);
  return commands;
}

/** Contact mechanisms the party does not have yet (none are removed: the ERP may have more). */
export function mechanismCommands(
  existing: readonly ExistingMechanism[],
  wanted: readonly MechanismValues[],
): unknown[] {
  const have = new Set(existing.map((m) => `${m.type}:${m.value ?? ''}`));
  const missing = wanted.filter((m) => !have.has(`${m.type}:${m.value}`));
  return missing.length === 0 ? [] : [['create', missing]];
}

import type { ReadSpec, Row } from '../../runtime/reader.js';
import { TAG_PREFIX } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { includeInactive } from '../../runtime/runtime.js';
import { text } from '../../runtime/rows.js';

type Related = { party: number } & Record<string, unknown>;

async function relatedOf(rt: TrytonRuntime, model: string, ids: number[], fields: string[]) {
  const rows = await rt.client.searchRead<Related>(model, [['party', 'in', ids]], {
    fields: ['party', ...fields],
    order: [['id', 'ASC']],
    context: includeInactive,
  });
  const byParty = new Map<number, Related[]>();
  for (const row of rows) byParty.set(row.party, [...(byParty.get(row.party) ?? []), row]);
  return byParty;
}

/** A Tryton address as a Fieldsync site: the street's first line is line1, the rest line2. */
function sitesShape(
  a: {
    name: string | null;
    street: string | null;
    postalCode: string | null;
    city: string | null;
    country: string | null;
    active: unknown;
  },
  first: boolean,
) {
  const [line1, ...rest] = (a.street ?? '').split('\n');
  return {
    name: a.name ?? a.city ?? line1 ?? null,
    line1: line1 || null,
    line2: rest.join(', ') || null,
    city: a.city,
    postalCode: a.postalCode,
    country: a.country,
    isBilling: first,
    status: a.active === false ? 'archived' : 'active',
  };
}

/** Contact mechanisms grouped by their name into Fieldsync contacts ({ name, email, phone }). */
function contactsShape(
  mechanisms: readonly { type: unknown; value: unknown; name: unknown; active: unknown }[],
) {
  const byName = new Map<string, { name: string | null; email: string | null; phone: string | null }>();
  for (const m of mechanisms) {
    if (m.active === false || typeof m.name !== 'string' || m.name === '') continue;
    const contact = byName.get(m.name) ?? { name: m.name, email: null, phone: null };
    if (m.type === 'email' && contact.email === null) contact.email = String(m.value);
    if ((m.type === 'phone' || m.type === 'mobile') && contact.phone === null)
      contact.phone = String(m.value);
    byName.set(m.name, contact);
  }
  return [...byName.values()];
}

/** Parties with their addresses, contact mechanisms and the Fieldsync reference they carry (if any). */
export const partyReadSpec: ReadSpec = {
  model: 'party.party',
  domain: [],
  fields: ['name', 'code', 'active'],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const ids = rows.map((r) => r.id);
    const [addresses, mechanisms, identifiers] = await Promise.all([
      relatedOf(rt, 'party.address', ids, [
        'name',
        'street',
        'postal_code',
        'city',
        'country.code',
        'active',
      ]),
      relatedOf(rt, 'party.contact_mechanism', ids, ['type', 'value', 'name', 'active']),
      relatedOf(rt, 'party.identifier', ids, ['type', 'code']),
    ]);
    return rows.map((row) => {
      const contactMechanisms = (mechanisms.get(row.id) ?? []).map((m) => ({
        id: m.id,
        type: m.type,
        value: m.value,
        name: m.name ?? null,
        active: m.active,
      }));
      const first = (type: string) =>
        contactMechanisms.find((c) => c.type === type && c.active !== false)?.value ?? null;
      const addressList = (addresses.get(row.id) ?? []).map((a) => ({
        id: a.id,
        name: text(a.name),
        street: text(a.street),
        postalCode: text(a.postal_code),
        city: text(a.city),
        country: (a['country.'] as { code?: string } | null | undefined)?.code ?? null,
        active: a.active,
      }));
      const idents = (identifiers.get(row.id) ?? []).map((i) => ({ type: i.type ?? null, code: i.code }));
      const tag = idents.find((i) => typeof i.code === 'string' && i.code.startsWith(TAG_PREFIX));
      return {
        id: row.id,
        code: row.code ?? null,
        name: row.name,
        active: row.active,
        email: first('email'),
        phone: first('phone') ?? first('mobile'),
        fieldsyncReference: tag ? String(tag.code).slice(TAG_PREFIX.length) : null,
        addresses: addressList,
        contactMechanisms,
        identifiers: idents,
        // The same data in Fieldsync's shapes, so an inbound mapping can copy the arrays as they are.
        sites: addressList.map((a, i) => sitesShape(a, i === 0)),
        contacts: contactsShape(contactMechanisms),
      };
    });
  },
};

import type { ReadSpec, Row } from '../../runtime/reader.js';
import { TAG_PREFIX } from '../../runtime/references.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { includeInactive } from '../../runtime/runtime.js';

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

/** Parties with their addresses, contact mechanisms and the Fieldsync reference they carry (if any). */
export const partyReadSpec: ReadSpec = {
  model: 'party.party',
  domain: [],
  fields: ['name', 'code', 'active'],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const ids = rows.map((r) => r.id);
    const [addresses, mechanisms, identifiers] = await Promise.all([
      relatedOf(rt, 'party.address', ids, ['name', 'street', 'postal_code', 'city', 'country.code', 'active']),
      relatedOf(rt, 'party.contact_mechanism', ids, ['type', 'value', 'name', 'active']),
      relatedOf(rt, 'party.identifier', ids, ['type', 'code']),
    ]);
    return rows.map((row) => {
      const contacts = (mechanisms.get(row.id) ?? []).map((m) => ({
        id: m.id,
        type: m.type,
        value: m.value,
        name: m.name ?? null,
        active: m.active,
      }));
      const first = (type: string) => contacts.find((c) => c.type === type && c.active !== false)?.value ?? null;
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
        addresses: (addresses.get(row.id) ?? []).map((a) => ({
          id: a.id,
          name: a.name ?? null,
          street: a.street ?? null,
          postalCode: a.postal_code ?? null,
          city: a.city ?? null,
          country: (a['country.'] as { code?: string } | null | undefined)?.code ?? null,
          active: a.active,
        })),
        contacts,
        identifiers: idents,
      };
    });
  },
};

import type { TrytonRuntime } from './runtime.js';

/** The XML ids (`module.fs_id`) of the locations that have one. */
export async function locationXmlIds(
  rt: TrytonRuntime,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const xml = await rt.client.searchRead<{ db_id: number; module: string; fs_id: string }>(
    'ir.model.data',
    [
      ['model', '=', 'stock.location'],
      ['db_id', 'in', [...new Set(ids)]],
    ],
    { fields: ['db_id', 'module', 'fs_id'] },
  );
  return new Map(xml.map((x) => [x.db_id, `${x.module}.${x.fs_id}`]));
}

/**
 * The ref a Fieldsync warehouse stores for a location (`erpLocationRef`): its XML id when it has one
 * (`stock.location_storage`), else its code, else its id. The connector resolves all three forms.
 */
export async function locationRefs(
  rt: TrytonRuntime,
  locations: readonly { id: number; code: string | null }[],
): Promise<Map<number, string>> {
  const xml = await locationXmlIds(
    rt,
    locations.map((l) => l.id),
  );
  return new Map(locations.map((l) => [l.id, xml.get(l.id) ?? l.code ?? String(l.id)]));
}

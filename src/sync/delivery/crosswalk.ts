import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';

/** Our ids → ERP ids for one connector and entity. */
export async function lookupExternalIds(
  db: Kysely<Database>,
  connector: string,
  entity: string,
  localIds: readonly string[],
): Promise<Map<string, string>> {
  if (localIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sync_crosswalk')
    .select(['local_id', 'external_id'])
    .where('connector', '=', connector)
    .where('entity', '=', entity)
    .where('local_id', 'in', [...new Set(localIds)])
    .execute();
  return new Map(rows.map((r) => [r.local_id, r.external_id]));
}

/** ERP ids → our ids, for pulls. */
export async function lookupLocalIds(
  db: Kysely<Database>,
  connector: string,
  entity: string,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sync_crosswalk')
    .select(['local_id', 'external_id'])
    .where('connector', '=', connector)
    .where('entity', '=', entity)
    .where('external_id', 'in', [...new Set(externalIds)])
    .execute();
  return new Map(rows.map((r) => [r.external_id, r.local_id]));
}

export async function linkRecords(
  db: Kysely<Database>,
  entry: { connector: string; entity: string; localId: string; externalId: string },
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('sync_crosswalk')
    .values({
      connector: entry.connector,
      entity: entry.entity,
      local_id: entry.localId,
      external_id: entry.externalId,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['connector', 'entity', 'local_id'])
        .doUpdateSet({ external_id: entry.externalId, updated_at: now })
        .where('sync_crosswalk.external_id', '<>', entry.externalId),
    )
    .execute();
}

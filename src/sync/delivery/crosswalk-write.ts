import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { LinkRow } from './ack-rows.js';
import type { JsonRow } from './json-params.js';
import { jsonRows } from './json-params.js';

const linkColumns = { connector: 'text', entity: 'text', local_id: 'text', external_id: 'text' } as const;

/**
 * Upserts crosswalk links. A link the ERP confirms unchanged (every update of a record already linked)
 * is not rewritten: `updated_at` tells when the link was made or last changed, and the acknowledgement
 * of a busy flow writes no crosswalk page for records it only updates. An ERP id now confirmed for one
 * record cannot still point at another (ids reused after an ERP restore, or two records matched by
 * reference): the newest confirmation wins, so an older link holding the same ERP id is removed —
 * within the batch too.
 *
 * `upsertFirst` (SQLite, which backs out only the failing statement of a unique violation and keeps the
 * transaction): try the upsert alone, and remove stale links only when an ERP id is held by another
 * record, which is rare; PostgreSQL's acknowledgement redoes its statement instead (ack-postgres.ts).
 */
export async function writeCrosswalk(
  tx: Kysely<Database>,
  links: readonly LinkRow[],
  now: string,
  options: { upsertFirst?: boolean } = {},
): Promise<void> {
  const rows = newestPerErpId(links);
  if (rows.length === 0) return;
  if (options.upsertFirst)
    try {
      await upsertLinks(tx, rows, now);
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  // Driven from the batch's rows through the (connector, entity, external_id) unique index.
  await sql`
    delete from sync_crosswalk
     where (connector, entity, local_id) in (
       select c.connector, c.entity, c.local_id
         from ${jsonRows(tx, rows, linkColumns)} as l
         join sync_crosswalk c
           on c.connector = l.connector and c.entity = l.entity and c.external_id = l.external_id
        where c.local_id <> l.local_id)`.execute(tx);
  await upsertLinks(tx, rows, now);
}

/** One link per record and per ERP id, the later confirmation winning. */
function newestPerErpId(links: readonly LinkRow[]): JsonRow[] {
  const perRecord = new Map(links.map((l) => [l.key, l]));
  const perErpId = new Map(
    [...perRecord.values()].map((l) => [`${l.connector}\u0000${l.entity}\u0000${l.external_id}`, l]),
  );
  return [...perErpId.values()].map(({ connector, entity, local_id, external_id }) => ({
    connector,
    entity,
    local_id,
    external_id,
  }));
}

function upsertLinks(tx: Kysely<Database>, rows: readonly JsonRow[], now: string) {
  return sql`
    insert into sync_crosswalk (connector, entity, local_id, external_id, updated_at)
    select l.connector, l.entity, l.local_id, l.external_id, ${now}
      from ${jsonRows(tx, rows, linkColumns)} as l
     where true
    on conflict (connector, entity, local_id)
    do update set external_id = excluded.external_id, updated_at = excluded.updated_at
     where sync_crosswalk.external_id <> excluded.external_id`.execute(tx);
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { errors } from '../../shared/errors/index.js';
import type { SyncConflict } from './conflict.js';
import { conflictFromRow } from './conflict.js';
import { conflictDb } from './tables.js';

export interface ConflictFilter {
  status?: 'open' | 'resolved';
  flow?: string;
  connector?: string;
  entity?: string;
  localId?: string;
  externalId?: string;
  field?: string;
}

export interface ConflictPage {
  limit: number;
  /** Keyset: the last id of the previous page. */
  afterId?: string;
}

function filtered(db: Kysely<Database>, filter: ConflictFilter) {
  let query = conflictDb(db).selectFrom('sync_conflicts');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.flow) query = query.where('flow', '=', filter.flow);
  if (filter.connector) query = query.where('connector', '=', filter.connector);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.localId) query = query.where('local_id', '=', filter.localId);
  if (filter.externalId) query = query.where('external_id', '=', filter.externalId);
  if (filter.field) query = query.where('field', '=', filter.field);
  return query;
}

/** Conflicts in detection order (ids are UUIDv7), newest last; keyset paging on id. */
export async function listConflicts(
  db: Kysely<Database>,
  filter: ConflictFilter = {},
  page: ConflictPage = { limit: 50 },
): Promise<{ data: SyncConflict[]; nextAfterId: string | null }> {
  let query = filtered(db, filter).selectAll();
  if (page.afterId) query = query.where('id', '>', page.afterId);
  const rows = await query
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(conflictFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

export async function countConflicts(db: Kysely<Database>, filter: ConflictFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function getConflict(db: Kysely<Database>, id: string): Promise<SyncConflict> {
  const row = await conflictDb(db)
    .selectFrom('sync_conflicts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('conflict', id);
  return conflictFromRow(row);
}

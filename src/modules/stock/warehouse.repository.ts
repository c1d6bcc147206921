import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { containsAny } from '../../platform/db/index.js';
import type { Warehouse, WarehouseKind, WarehouseListFilter } from './warehouse.schemas.js';
import type { WarehousesTable } from './tables.js';

export type WarehouseRow = Selectable<WarehousesTable>;

export function warehouseFromRow(row: WarehouseRow): Warehouse {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as WarehouseKind,
    region: row.region,
    erpLocationRef: row.erp_location_ref,
    allowNegative: Number(row.allow_negative) === 1,
    status: row.status === 'archived' ? 'archived' : 'active',
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function findWarehouseRow(db: Kysely<Database>, id: string): Promise<WarehouseRow | undefined> {
  return db.selectFrom('warehouses').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findWarehouseRows(db: Kysely<Database>, ids: string[]): Promise<WarehouseRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('warehouses').selectAll().where('id', 'in', ids).execute();
}

export function findWarehouseByCode(db: Kysely<Database>, code: string): Promise<WarehouseRow | undefined> {
  return db.selectFrom('warehouses').selectAll().where('code', '=', code).executeTakeFirst();
}

export function listWarehouseRows(
  db: Kysely<Database>,
  filter: WarehouseListFilter,
  page: { limit: number; afterId?: string },
): Promise<WarehouseRow[]> {
  let query = db
    .selectFrom('warehouses')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.code) query = query.where('code', '=', filter.code);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.region) query = query.where('region', '=', filter.region);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) query = query.where(containsAny(['name', 'code'], filter.q));
  return query.execute();
}

/** Item × warehouse pairs of this warehouse whose on-hand is not zero (archiving must not hide stock). */
export async function countNonZeroLevels(db: Kysely<Database>, warehouseId: string): Promise<number> {
  const row = await db
    .selectFrom('stock_levels')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('warehouse_id', '=', warehouseId)
    .where('quantity_milli', '<>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { containsAny } from '../../platform/db/index.js';
import { fromMinorUnits } from '../../shared/money.js';
import type { Item, ItemListFilter } from './schemas.js';
import type { ItemsTable } from './tables.js';

export type ItemRow = Selectable<ItemsTable>;

export function itemFromRow(row: ItemRow): Item {
  return {
    id: row.id,
    sku: row.sku,
    barcode: row.barcode,
    name: row.name,
    description: row.description,
    category: row.category,
    unit: row.unit,
    listPrice: fromMinorUnits(row.list_price_minor, row.currency),
    costPrice: fromMinorUnits(row.cost_price_minor, row.currency),
    currency: row.currency,
    kind: row.kind === 'service' ? 'service' : 'stocked',
    serialTracked: Number(row.serial_tracked) === 1,
    taxCategory: row.tax_category,
    status: row.status === 'archived' ? 'archived' : 'active',
    externalRefs: JSON.parse(row.external_refs) as Record<string, string>,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function findItemRow(db: Kysely<Database>, id: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findItemBy(
  db: Kysely<Database>,
  column: 'sku' | 'barcode',
  value: string,
): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where(column, '=', value).executeTakeFirst();
}

export function listItemRows(
  db: Kysely<Database>,
  filter: ItemListFilter,
  page: { limit: number; afterId?: string },
) {
  let query = db
    .selectFrom('items')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.sku) query = query.where('sku', '=', filter.sku);
  if (filter.barcode) query = query.where('barcode', '=', filter.barcode);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.updatedSince)
    query = query.where('updated_at', '>=', new Date(filter.updatedSince).toISOString());
  if (filter.q) query = query.where(containsAny(['name', 'sku', 'barcode'], filter.q));
  return query.execute();
}

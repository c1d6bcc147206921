import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { fromMinorUnits } from '../../shared/money.js';
import type { PriceList, PriceListFilter } from './price-list-schemas.js';
import type { PriceListLinesTable, PriceListsTable } from './tables.js';

export type PriceListRow = Selectable<PriceListsTable>;
export type PriceLineRow = Selectable<PriceListLinesTable>;

/** Line kinds as stored; fees use fixed refs. */
export const LineKind = { item: 'item', category: 'category', labor: 'labor', fee: 'fee' } as const;
export const FeeRef = { callOut: 'call_out', perKm: 'per_km' } as const;

export function priceListFromRow(row: PriceListRow, lines: PriceLineRow[]): PriceList {
  const items: Record<string, string> = {};
  const categories: Record<string, string> = {};
  const laborRates: Record<string, string> = {};
  const fees: Record<string, string> = {};
  const byKind: Record<string, Record<string, string>> = {
    item: items,
    category: categories,
    labor: laborRates,
    fee: fees,
  };
  for (const line of lines) {
    const target = byKind[line.kind];
    if (target) target[line.ref] = fromMinorUnits(line.unit_price_minor, row.currency);
  }
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    customerId: row.customer_id,
    isDefault: Number(row.is_default) === 1,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    status: row.status === 'archived' ? 'archived' : 'active',
    items,
    categories,
    laborRates,
    callOutFee: fees[FeeRef.callOut] ?? null,
    perKmRate: fees[FeeRef.perKm] ?? null,
    externalRefs: JSON.parse(row.external_refs) as Record<string, string>,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function hydratePriceLists(db: Kysely<Database>, rows: PriceListRow[]): Promise<PriceList[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('price_list_lines')
    .selectAll()
    .where(
      'price_list_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('kind')
    .orderBy('ref')
    .execute();
  return rows.map((row) =>
    priceListFromRow(
      row,
      lines.filter((l) => l.price_list_id === row.id),
    ),
  );
}

export function findPriceListRow(db: Kysely<Database>, id: string): Promise<PriceListRow | undefined> {
  return db.selectFrom('price_lists').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listPriceListRows(
  db: Kysely<Database>,
  filter: PriceListFilter,
  page: { limit: number; afterId?: string },
): Promise<PriceListRow[]> {
  let query = db
    .selectFrom('price_lists')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.isDefault !== undefined) query = query.where('is_default', '=', filter.isDefault ? 1 : 0);
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.code) query = query.where('code', '=', filter.code);
  return query.execute();
}

/**
 * Active lists playing the same role as `role`: the default lists of a currency, or one customer's lists of
 * a currency. At most one of them may be in force on any day.
 */
export function roleMates(
  db: Kysely<Database>,
  role: { customerId: string | null; isDefault: boolean; currency: string },
): Promise<PriceListRow[]> {
  let query = db
    .selectFrom('price_lists')
    .selectAll()
    .where('status', '=', 'active')
    .where('currency', '=', role.currency);
  if (role.customerId !== null) query = query.where('customer_id', '=', role.customerId);
  else if (role.isDefault) query = query.where('is_default', '=', 1);
  else return Promise.resolve([]);
  return query.execute();
}

/** Active lists of a role in force on `onDate` (open ends count as unbounded). */
export async function inForce(
  db: Kysely<Database>,
  role: { customerId: string | null; isDefault: boolean; currency: string },
  onDate: string,
): Promise<PriceListRow[]> {
  const rows = await roleMates(db, role);
  return rows.filter(
    (r) => (r.valid_from === null || r.valid_from <= onDate) && (r.valid_to === null || onDate <= r.valid_to),
  );
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { getCustomer } from '../customers/index.js';
import { isoDatePattern } from './periods.js';
import type { PriceList, PriceListFilter, ResolvedPriceLists } from './price-list-schemas.js';
import { findPriceListRow, hydratePriceLists, inForce, listPriceListRows } from './price-list-repository.js';

export async function loadPriceList(db: Kysely<Database>, id: string): Promise<PriceList> {
  const row = await findPriceListRow(db, id);
  if (!row) throw errors.notFound('price list', id);
  const [list] = await hydratePriceLists(db, [row]);
  if (!list) throw errors.notFound('price list', id);
  return list;
}

export function getPriceList(executor: Executor, id: string): Promise<PriceList> {
  return loadPriceList(queryable(executor), id);
}

export async function listPriceLists(
  executor: Executor,
  filter: PriceListFilter,
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: PriceList[]; nextAfterId: string | null }> {
  const db = queryable(executor);
  const rows = await listPriceListRows(db, filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: await hydratePriceLists(db, pageRows),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

/**
 * The lists that price a customer's work on a day: the customer's own list (if one is in force) and the
 * default list, both in the customer's currency unless another is asked for. No default list in force is
 * a 422: billing without a fallback price would silently give work away.
 */
export async function resolvePriceLists(
  executor: Executor,
  customerId: string,
  onDate: string,
  options: { currency?: string } = {},
): Promise<ResolvedPriceLists> {
  if (!isoDatePattern.test(onDate))
    throw errors.validation('date must be YYYY-MM-DD', [{ path: ['date'], message: 'expected YYYY-MM-DD' }]);
  const db = queryable(executor);
  const customer = await getCustomer(executor, customerId);
  const currency = options.currency ?? customer.currency;
  const [own] = await inForce(db, { customerId, isDefault: false, currency }, onDate);
  const [fallback] = await inForce(db, { customerId: null, isDefault: true, currency }, onDate);
  if (!fallback) {
    throw errors.unprocessable(`no default ${currency} price list is in force on ${onDate}`, {
      currency,
      date: onDate,
      customerId,
    });
  }
  const [customerList, defaultList] = await hydratePriceLists(db, own ? [own, fallback] : [fallback]).then(
    (lists) => (own ? [lists[0] ?? null, lists[1]] : [null, lists[0]]),
  );
  if (!defaultList) throw new Error('default price list vanished while loading');
  return { customerList: customerList ?? null, defaultList };
}

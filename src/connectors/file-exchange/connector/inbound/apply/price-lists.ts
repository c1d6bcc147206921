import { createPriceList, listPriceLists, updatePriceList } from '../../../../../modules/contracts/index.js';
import type { Executor } from '../../../../../platform/outbox/index.js';
import { errors } from '../../../../../shared/errors/index.js';
import type { PriceListImport } from '../../../schemas/index.js';
import { itemBySku } from './lookups.js';

/**
 * price-lists rows: the unit price of an item on the price list with that code (created, not default and
 * not customer-specific, when missing). Fieldsync lists have one validity for the whole list and no
 * quantity breaks, so rows that would need either are rejected with the reason instead of half-applied.
 */
export async function applyPriceListLine(db: Executor, row: PriceListImport): Promise<void> {
  if (row.minQuantity !== '1' && !/^1(\.0+)?$/.test(row.minQuantity)) {
    throw errors.validation(
      `quantity breaks are not supported: min_quantity must be 1, got ${row.minQuantity}`,
      [{ path: ['min_quantity'], message: 'must be 1' }],
    );
  }
  const item = await itemBySku(db, row.sku);
  const list = (await listPriceLists(db, { code: row.priceList }, { limit: 1 })).data[0];
  if (list === undefined) {
    await createPriceList(db, {
      code: row.priceList,
      name: row.priceList,
      currency: row.unitPrice.currency,
      items: { [item.id]: row.unitPrice.amount },
      ...(row.validFrom !== undefined && { validFrom: row.validFrom }),
      ...(row.validTo !== undefined && { validTo: row.validTo }),
    });
    return;
  }
  if (list.currency !== row.unitPrice.currency) {
    throw errors.conflict(
      `price list ${row.priceList} is in ${list.currency}, the row is in ${row.unitPrice.currency}`,
      {
        priceList: row.priceList,
        currency: list.currency,
      },
    );
  }
  for (const [field, given, current] of [
    ['valid_from', row.validFrom, list.validFrom],
    ['valid_to', row.validTo, list.validTo],
  ] as const) {
    if (given !== undefined && given !== current) {
      throw errors.validation(
        `price list ${row.priceList} has one validity for all its lines (${field} ${current ?? 'open'}); the row says ${given}`,
        [{ path: [field], message: `must match the list's ${field}` }],
      );
    }
  }
  if (list.items[item.id] === row.unitPrice.amount) return;
  await updatePriceList(db, list.id, { items: { [item.id]: row.unitPrice.amount } });
}

import type { Item } from '../../../../../modules/items/index.js';
import { getItemBySku } from '../../../../../modules/items/index.js';
import type { Warehouse } from '../../../../../modules/stock/index.js';
import { listWarehouses } from '../../../../../modules/stock/index.js';
import type { Executor } from '../../../../../platform/outbox/index.js';
import { errors } from '../../../../../shared/errors/index.js';

/** Inbound files name things by their business codes; these turn them into records or a row reject. */
export async function itemBySku(db: Executor, sku: string): Promise<Item> {
  const item = await getItemBySku(db, sku);
  if (item === undefined) throw errors.notFound('item with sku', sku);
  return item;
}

export async function warehouseByCode(db: Executor, code: string): Promise<Warehouse> {
  const warehouse = (await listWarehouses(db, { code }, { limit: 1 })).data[0];
  if (warehouse === undefined) throw errors.notFound('warehouse (location) with code', code);
  return warehouse;
}

import type { Item } from '../../modules/items/index.js';
import {
  createItem,
  getItem,
  getItemBySku,
  itemCreateSchema,
  itemPatchSchema,
  updateItem,
} from '../../modules/items/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { readLocal } from './applier.js';
import { parsePulled, withoutNulls } from './applier.js';

const toLocal = (i: Item): LocalRecord => ({ id: i.id, version: i.version, updatedAt: i.updatedAt, data: i });

const read = readLocal(getItem, toLocal);

/** Items (catalogue data). Matched by `sku`. Prices are decimal strings; the module stores minor units. */
export const itemApplier: InboundApplier = {
  entity: 'item',
  eventKey: 'item',
  fields: [
    'sku',
    'barcode',
    'name',
    'description',
    'category',
    'unit',
    'listPrice',
    'costPrice',
    'currency',
    'kind',
    'serialTracked',
    'taxCategory',
  ],
  read,
  async findMatch(executor, values) {
    const sku = values.sku;
    if (typeof sku !== 'string' || sku === '') return undefined;
    const item = await getItemBySku(executor, sku);
    return item ? toLocal(item) : undefined;
  },
  async create(uow, values) {
    const input = parsePulled(itemCreateSchema, withoutNulls(values), 'item');
    return toLocal(await createItem(uow, input));
  },
  async update(uow, id, patch, expectedVersion) {
    const input = parsePulled(itemPatchSchema, patch, 'item change');
    return toLocal(await updateItem(uow, id, input, expectedVersion));
  },
};

import type { ItemPatch } from '../../../../../modules/items/index.js';
import { archiveItem, createItem, getItemBySku, updateItem } from '../../../../../modules/items/index.js';
import type { Executor } from '../../../../../platform/outbox/index.js';
import { errors } from '../../../../../shared/errors/index.js';
import type { ItemImport } from '../../../schemas/index.js';

/** Items created from a file land in this category until someone files them properly. */
export const IMPORTED_ITEM_CATEGORY = 'imported';

/**
 * items rows, keyed by sku: create (category "imported", list price 0 unless given), or update name,
 * unit, kind and list price. `active=false` archives; an archived item is not brought back by a file.
 */
export async function applyItem(db: Executor, row: ItemImport): Promise<void> {
  const kind = row.type === 'service' ? 'service' : 'stocked';
  const item = await getItemBySku(db, row.sku);
  if (item === undefined) {
    const created = await createItem(db, {
      sku: row.sku,
      name: row.name,
      unit: row.uom,
      category: IMPORTED_ITEM_CATEGORY,
      kind,
      listPrice: row.unitPrice?.amount ?? '0',
      currency: row.unitPrice?.currency ?? 'EUR',
    });
    if (row.active === false) await archiveItem(db, created.id);
    return;
  }
  if (item.status === 'archived') {
    if (row.active === false) return;
    throw errors.conflict(`item ${row.sku} is archived; a file does not re-activate it`, {
      sku: row.sku,
      status: 'archived',
    });
  }
  const patch: ItemPatch = {
    name: row.name,
    unit: row.uom,
    ...(kind !== item.kind && { kind }),
    ...(row.unitPrice !== undefined && { listPrice: row.unitPrice.amount, currency: row.unitPrice.currency }),
  };
  await updateItem(db, item.id, patch);
  if (row.active === false) await archiveItem(db, item.id);
}

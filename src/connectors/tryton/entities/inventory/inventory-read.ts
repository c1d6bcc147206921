import type { ReadSpec, Row } from '../../runtime/reader.js';
import { groupBy, id, quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { tagsOfRecords } from '../../runtime/markers.js';

/** Inventories (counts) with their lines: expected (Tryton) and counted quantities. */
export const inventoryReadSpec: ReadSpec = {
  model: 'stock.inventory',
  domain: [],
  fields: ['number', 'location', 'location.code', 'date', 'state'],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const ids = rows.map((r) => r.id);
    const [lines, tags] = await Promise.all([
      rt.client.searchRead<{ id: number; inventory: number } & Record<string, unknown>>(
        'stock.inventory.line',
        [['inventory', 'in', ids]],
        {
          fields: ['inventory', 'product', 'product.code', 'expected_quantity', 'quantity'],
          order: [['id', 'ASC']],
        },
      ),
      tagsOfRecords(rt, 'stock.inventory', rows),
    ]);
    const byInventory = groupBy(lines, 'inventory');
    return rows.map((row) => ({
      id: row.id,
      number: text(row.number),
      location: id(row.location),
      locationCode: text(related(row, 'location.code')),
      date: text(row.date),
      state: row.state,
      fieldsyncReference: tags.get(row.id) ?? null,
      lines: (byInventory.get(row.id) ?? []).map((l) => ({
        product: id(l.product),
        sku: text(related(l, 'product.code')),
        expectedQuantity: quantityText(l.expected_quantity),
        quantity: quantityText(l.quantity),
      })),
    }));
  },
};

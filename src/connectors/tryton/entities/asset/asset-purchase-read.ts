import type { ReadSpec, Row } from '../../runtime/reader.js';
import { decimalText, groupBy, id, quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';

const purchased = ['confirmed', 'processing', 'done'];

/**
 * Purchases (confirmed or later) that buy asset products: each asset line is equipment to install, so
 * Fieldsync creates installed-base records ("ordered") from it. A purchase is the unit of change because
 * confirming it moves the purchase's stamp, not its lines'.
 */
export const assetPurchaseReadSpec: ReadSpec = {
  model: 'purchase.purchase',
  domain: [
    ['state', 'in', purchased],
    ['lines.product.type', '=', 'assets'],
  ],
  fields: [
    'number',
    'reference',
    'description',
    'state',
    'party',
    'party.name',
    'purchase_date',
    'currency.code',
  ],
  async toData(rows: readonly Row[], rt: TrytonRuntime) {
    const lines = await rt.client.searchRead<{ id: number; purchase: number } & Record<string, unknown>>(
      'purchase.line',
      [
        ['purchase', 'in', rows.map((r) => r.id)],
        ['product.type', '=', 'assets'],
      ],
      {
        fields: [
          'purchase',
          'product',
          'product.code',
          'product.name',
          'description',
          'quantity',
          'unit.symbol',
          'unit_price',
        ],
        order: [['id', 'ASC']],
      },
    );
    const byPurchase = groupBy(lines, 'purchase');
    return rows.map((row) => ({
      id: row.id,
      number: text(row.number),
      reference: text(row.reference),
      description: text(row.description),
      state: row.state,
      supplierId: id(row.party),
      supplier: text(related(row, 'party.name')),
      purchaseDate: text(row.purchase_date),
      currency: text(related(row, 'currency.code')),
      lines: (byPurchase.get(row.id) ?? []).map((l) => ({
        lineId: l.id,
        product: id(l.product),
        sku: text(related(l, 'product.code')),
        name: text(related(l, 'product.name')),
        description: text(l.description),
        quantity: quantityText(l.quantity),
        unit: text(related(l, 'unit.symbol')),
        unitPrice: decimalText(l.unit_price),
      })),
    }));
  },
};

import { tagsOfRecords } from '../../runtime/markers.js';
import type { Row } from '../../runtime/reader.js';
import { decimalText, id, quantityText, related, text } from '../../runtime/rows.js';
import type { TrytonRuntime } from '../../runtime/runtime.js';
import { locationRefs } from '../../runtime/location-refs.js';

export const moveFields = [
  'product',
  'product.code',
  'quantity',
  'uom.symbol',
  'from_location',
  'from_location.code',
  'from_location.type',
  'to_location',
  'to_location.code',
  'to_location.type',
  'to_location.warehouse',
  'effective_date',
  'planned_date',
  'state',
  'origin',
  'shipment',
  'unit_price',
  'cost_price',
] as const;

export async function moveData(rows: readonly Row[], rt: TrytonRuntime): Promise<Record<string, unknown>[]> {
  const [tags, refs] = await Promise.all([
    tagsOfRecords(rt, 'stock.move', rows),
    locationRefs(
      rt,
      rows.flatMap((r) => [
        { id: r.from_location as number, code: text(related(r, 'from_location.code')) },
        { id: r.to_location as number, code: text(related(r, 'to_location.code')) },
      ]),
    ),
  ]);
  return rows.map((row) => ({
    id: row.id,
    productId: id(row.product),
    sku: text(related(row, 'product.code')),
    quantity: quantityText(row.quantity),
    unit: text(related(row, 'uom.symbol')),
    fromLocation: id(row.from_location),
    fromLocationCode: text(related(row, 'from_location.code')),
    fromLocationType: text(related(row, 'from_location.type')),
    fromLocationRef: refs.get(row.from_location as number) ?? null,
    toLocation: id(row.to_location),
    toLocationCode: text(related(row, 'to_location.code')),
    toLocationType: text(related(row, 'to_location.type')),
    toLocationRef: refs.get(row.to_location as number) ?? null,
    warehouse: id(related(row, 'to_location.warehouse')),
    effectiveDate: text(row.effective_date),
    plannedDate: text(row.planned_date),
    state: row.state,
    origin: text(row.origin),
    shipment: text(row.shipment),
    unitPrice: decimalText(row.unit_price),
    costPrice: decimalText(row.cost_price),
    fieldsyncReference: tags.get(row.id) ?? null,
  }));
}

import type { Item } from '../items/index.js';
import type { StockMovement } from './movement.schemas.js';
import type { Warehouse } from './warehouse.schemas.js';

/**
 * What an ERP needs to name the things a stock event is about. Ledger rows hold ids; an ERP knows items by
 * SKU and warehouses by its own location (`erpLocationRef`), so the events carry both and a flow mapping
 * needs no look-up.
 */
export interface ItemRef {
  id: string;
  sku: string;
}
export interface WarehouseRef {
  id: string;
  code: string;
  erpLocationRef: string | null;
}

export const itemRef = (item: Item): ItemRef => ({ id: item.id, sku: item.sku });
export const warehouseRef = (w: Warehouse): WarehouseRef => ({
  id: w.id,
  code: w.code,
  erpLocationRef: w.erpLocationRef,
});

/** A transfer as one fact (`stock.transfer.posted`): both halves, so an ERP books it as one move. */
export interface TransferFact {
  /** The posting's group id, shared by both ledger rows: what the transfer is known by. */
  id: string;
  item: ItemRef;
  quantity: string;
  serials: string[];
  reference: string | null;
  postedAt: string;
  from: WarehouseRef;
  to: WarehouseRef;
  outMovementId: string;
  inMovementId: string;
  /** The same item and quantity as a one-line list: the shape of documents of lines (ERP moves, exports). */
  lines: { itemId: string; sku: string; quantity: string; serials: string[] }[];
}

export function transferFact(
  out: StockMovement,
  into: StockMovement,
  item: Item,
  from: Warehouse,
  to: Warehouse,
): TransferFact {
  return {
    id: out.groupId,
    item: itemRef(item),
    // The out-row is negative; the transfer moves the positive quantity of the in-row.
    quantity: into.quantity,
    serials: into.serials,
    reference: out.reference,
    postedAt: out.postedAt,
    from: warehouseRef(from),
    to: warehouseRef(to),
    outMovementId: out.id,
    inMovementId: into.id,
    lines: [{ itemId: item.id, sku: item.sku, quantity: into.quantity, serials: into.serials }],
  };
}

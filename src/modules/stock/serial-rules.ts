import { errors } from '../../shared/errors/index.js';
import type { SerialRow } from './ledger.repository.js';
import type { MovementDraft } from './posting.js';

type Path = (string | number)[];

/**
 * Shape rules for serial-tracked items, checked before anything is locked: whole units, and exactly one
 * distinct serial per unit. Items that are not serial-tracked take no serials.
 */
export function checkSerialShape(
  draft: MovementDraft,
  serialTracked: boolean,
  at: { quantity: Path; serials: Path },
): void {
  if (!serialTracked) {
    if (draft.serials.length > 0) {
      throw errors.validation(`item ${draft.itemId} is not serial-tracked; send no serials`, [
        { path: at.serials, message: 'not allowed for an item that is not serial-tracked' },
      ]);
    }
    return;
  }
  const units = Math.abs(draft.quantityMilli);
  if (units % 1000 !== 0) {
    throw errors.validation(`item ${draft.itemId} is serial-tracked: quantities are whole units`, [
      { path: at.quantity, message: 'must be a whole number for a serial-tracked item' },
    ]);
  }
  if (draft.serials.length !== units / 1000) {
    throw errors.validation(
      `item ${draft.itemId} is serial-tracked: ${units / 1000} unit(s) need exactly ${units / 1000} distinct serial(s), got ${draft.serials.length}`,
      [{ path: at.serials, message: `needs exactly ${units / 1000} distinct serial number(s)` }],
    );
  }
}

function refuse(draft: MovementDraft, rule: string, message: string, offending: string[]): never {
  throw errors.conflict(`${message}: ${offending.join(', ')}`, {
    itemId: draft.itemId,
    warehouseId: draft.warehouseId,
    rule,
    serials: offending,
  });
}

/**
 * Where each unit may come from, checked against locked serial rows: outgoing units must be in stock in
 * the sending warehouse; incoming units must not be in stock anywhere, and a return must bring back a unit
 * issued to that same work order (or one Fieldsync has never seen). The in-half of a transfer is checked
 * through its out-half.
 */
export function checkSerialState(draft: MovementDraft, rows: Map<string, SerialRow>): void {
  if (draft.serials.length === 0 || draft.kind === 'transfer_in') return;
  if (draft.quantityMilli < 0) {
    const missing = draft.serials.filter((s) => {
      const row = rows.get(s);
      return row?.status !== 'in_stock' || row.warehouse_id !== draft.warehouseId;
    });
    if (missing.length > 0)
      refuse(
        draft,
        'serial_not_in_warehouse',
        `serials not in stock in warehouse ${draft.warehouseId}`,
        missing,
      );
    return;
  }
  const inStock = draft.serials.filter((s) => rows.get(s)?.status === 'in_stock');
  if (inStock.length > 0) refuse(draft, 'serial_already_in_stock', 'serials already in stock', inStock);
  if (draft.kind === 'return') {
    const elsewhere = draft.serials.filter((s) => {
      const row = rows.get(s);
      return row?.status === 'issued' && row.work_order_id !== draft.workOrderId;
    });
    if (elsewhere.length > 0) {
      refuse(
        draft,
        'serial_issued_to_another_work_order',
        `serials were issued to another work order than ${draft.workOrderId ?? ''}`,
        elsewhere,
      );
    }
  }
}

/** The serial row values after `draft` is applied, or null when the row is left as is. */
export function serialEffect(draft: MovementDraft): {
  status: 'in_stock' | 'issued' | 'written_off';
  warehouse_id: string | null;
  work_order_id: string | null;
} | null {
  if (draft.kind === 'transfer_out') return null;
  if (draft.quantityMilli > 0)
    return { status: 'in_stock', warehouse_id: draft.warehouseId, work_order_id: null };
  if (draft.kind === 'issue')
    return { status: 'issued', warehouse_id: null, work_order_id: draft.workOrderId ?? null };
  return { status: 'written_off', warehouse_id: null, work_order_id: null };
}

import type { Item } from '../items/index.js';
import { getItem } from '../items/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { milliToQuantity } from '../../shared/quantity.js';
import type { Pair, SerialRow } from './ledger.repository.js';
import {
  addToLevel,
  lockLevels,
  lockSerials,
  movementFromRow,
  pairKey,
  shareLockWarehouses,
} from './ledger.repository.js';
import type { MovementKind, StockMovement } from './movement.schemas.js';
import { checkSerialShape, checkSerialState, serialEffect } from './serial-rules.js';
import { warehouseFromRow } from './warehouse.repository.js';
import type { Warehouse } from './warehouse.schemas.js';
import { itemRef, transferFact, warehouseRef } from './event-refs.js';

type Path = (string | number)[];

/** One ledger row to be written; a posting is one or more of them, applied all or nothing. */
export interface MovementDraft {
  kind: MovementKind;
  itemId: string;
  warehouseId: string;
  /** Signed thousandths. */
  quantityMilli: number;
  serials: string[];
  reference?: string | null;
  workOrderId?: string | null;
  counterpartWarehouseId?: string | null;
  reason?: string | null;
  cycleCountId?: string | null;
  idempotencyKey?: string | null;
  /** Where in the caller's input the quantity and serials were, for precise 400s. */
  at?: { quantity: Path; serials: Path };
}

export interface Posting {
  drafts: MovementDraft[];
  postedAt: string;
  createdBy: string;
}

export const StockEvents = {
  movementPosted: 'stock.movement.posted',
  transferPosted: 'stock.transfer.posted',
  cycleCountCreated: 'cycle_count.created',
  cycleCountPosted: 'cycle_count.posted',
  cycleCountCancelled: 'cycle_count.cancelled',
  openingBalancesLoaded: 'stock.opening_balances.loaded',
} as const;

/** Events of one item × warehouse share a subject, so consumers see its movements in order. */
export const stockSubject = (p: Pair) => `stock/${p.itemId}:${p.warehouseId}`;

const defaultAt = { quantity: ['quantity'], serials: ['serials'] };

async function loadItems(uow: UnitOfWork, drafts: MovementDraft[]): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  for (const id of new Set(drafts.map((d) => d.itemId))) items.set(id, await getItem(uow, id));
  return items;
}

async function loadWarehouses(uow: UnitOfWork, drafts: MovementDraft[]): Promise<Map<string, Warehouse>> {
  const ids = [...new Set(drafts.map((d) => d.warehouseId))].sort();
  const rows = await shareLockWarehouses(uow.tx, ids);
  const found = new Map(rows.map((r) => [r.id, warehouseFromRow(r)]));
  for (const id of ids) {
    const warehouse = found.get(id);
    if (!warehouse) throw errors.notFound('warehouse', id);
    if (warehouse.status === 'archived') {
      throw errors.conflict(`warehouse ${warehouse.code} (${id}) is archived and takes no movements`, {
        warehouseId: id,
        currentStatus: 'archived',
      });
    }
  }
  return found;
}

/** Checks that need no lock: the items hold stock, quantities and serials fit the item. */
function checkShapes(drafts: MovementDraft[], items: Map<string, Item>): void {
  for (const draft of drafts) {
    const item = items.get(draft.itemId) as Item;
    if (item.kind === 'service') {
      throw errors.unprocessable(`item ${item.sku} is a service item and holds no stock`, {
        itemId: item.id,
        kind: item.kind,
      });
    }
    if (draft.kind === 'receipt' && item.status === 'archived') {
      throw errors.conflict(`item ${item.sku} is archived and cannot be received`, {
        itemId: item.id,
        currentStatus: item.status,
      });
    }
    checkSerialShape(draft, item.serialTracked, draft.at ?? defaultAt);
  }
}

/** The negative-stock rule, against locked on-hand: refuse unless the warehouse allows it. */
function checkAvailability(
  drafts: MovementDraft[],
  levels: Map<string, number>,
  warehouses: Map<string, Warehouse>,
): void {
  const running = new Map(levels);
  for (const draft of drafts) {
    const key = pairKey(draft);
    const current = running.get(key) ?? 0;
    const next = current + draft.quantityMilli;
    if (draft.quantityMilli < 0 && next < 0 && !warehouses.get(draft.warehouseId)?.allowNegative) {
      const available = milliToQuantity(Math.max(current, 0));
      const requested = milliToQuantity(-draft.quantityMilli);
      throw errors.conflict(
        `insufficient stock of item ${draft.itemId} in warehouse ${draft.warehouseId}: ${available} available, ${requested} requested`,
        { itemId: draft.itemId, warehouseId: draft.warehouseId, available, requested },
      );
    }
    running.set(key, next);
  }
}

async function lockAndCheckSerials(
  uow: UnitOfWork,
  drafts: MovementDraft[],
): Promise<Map<string, Map<string, SerialRow>>> {
  const byItem = new Map<string, Set<string>>();
  for (const draft of drafts) {
    const set = byItem.get(draft.itemId) ?? new Set<string>();
    for (const serial of draft.serials) set.add(serial);
    byItem.set(draft.itemId, set);
  }
  const locked = new Map<string, Map<string, SerialRow>>();
  for (const itemId of [...byItem.keys()].sort()) {
    locked.set(itemId, await lockSerials(uow.tx, itemId, [...(byItem.get(itemId) ?? [])]));
  }
  for (const draft of drafts) checkSerialState(draft, locked.get(draft.itemId) ?? new Map());
  return locked;
}

async function writeSerials(
  uow: UnitOfWork,
  draft: MovementDraft,
  movementId: string,
  known: Map<string, SerialRow>,
  now: string,
) {
  const effect = serialEffect(draft);
  if (!effect || draft.serials.length === 0) return;
  const existing = draft.serials.filter((s) => known.has(s));
  const fresh = draft.serials.filter((s) => !known.has(s));
  if (existing.length > 0) {
    await uow.tx
      .updateTable('stock_serials')
      .set({ ...effect, last_movement_id: movementId, updated_at: now })
      .where('item_id', '=', draft.itemId)
      .where('serial', 'in', existing)
      .execute();
  }
  if (fresh.length > 0) {
    await uow.tx
      .insertInto('stock_serials')
      .values(
        fresh.map((serial) => ({
          item_id: draft.itemId,
          serial,
          ...effect,
          last_movement_id: movementId,
          updated_at: now,
        })),
      )
      .execute();
    // Later drafts of this posting (the in-half of a transfer) now update instead of insert.
    for (const serial of fresh) {
      known.set(serial, {
        item_id: draft.itemId,
        serial,
        ...effect,
        last_movement_id: movementId,
        updated_at: now,
      });
    }
  }
}

/**
 * Applies a posting inside `uow`: every check runs before the first ledger write, so a refused posting
 * leaves nothing behind (at most an empty on-hand row, which reads as zero). Each movement updates its
 * on-hand row and emits `stock.movement.posted` with the resulting on-hand.
 */
export async function applyPosting(uow: UnitOfWork, posting: Posting): Promise<StockMovement[]> {
  const { drafts } = posting;
  const items = await loadItems(uow, drafts);
  const warehouses = await loadWarehouses(uow, drafts);
  checkShapes(drafts, items);

  const now = nowIso();
  const levels = await lockLevels(uow.tx, drafts, now);
  checkAvailability(drafts, levels, warehouses);
  const serialRows = await lockAndCheckSerials(uow, drafts);

  const groupId = newId();
  const movements: StockMovement[] = [];
  for (const draft of drafts) {
    const balance = await addToLevel(uow.tx, draft, draft.quantityMilli, now);
    const row = {
      id: newId(),
      kind: draft.kind,
      item_id: draft.itemId,
      warehouse_id: draft.warehouseId,
      quantity_milli: draft.quantityMilli,
      balance_after_milli: balance,
      serials: JSON.stringify(draft.serials),
      reference: draft.reference ?? null,
      work_order_id: draft.workOrderId ?? null,
      counterpart_warehouse_id: draft.counterpartWarehouseId ?? null,
      reason: draft.reason ?? null,
      group_id: groupId,
      cycle_count_id: draft.cycleCountId ?? null,
      posted_at: posting.postedAt,
      created_at: now,
      created_by: posting.createdBy,
      idempotency_key: draft.idempotencyKey ?? null,
    };
    await uow.tx.insertInto('stock_movements').values(row).execute();
    await writeSerials(uow, draft, row.id, serialRows.get(draft.itemId) ?? new Map(), now);
    const movement = movementFromRow(row);
    movements.push(movement);
    await uow.emit({
      type: StockEvents.movementPosted,
      subject: stockSubject(draft),
      data: {
        movement,
        onHand: { itemId: draft.itemId, warehouseId: draft.warehouseId, quantity: movement.onHandAfter },
        item: itemRef(items.get(draft.itemId) as Item),
        warehouse: warehouseRef(warehouses.get(draft.warehouseId) as Warehouse),
      },
    });
  }
  await emitTransfer(uow, movements, items, warehouses);
  return movements;
}

/**
 * A transfer posts two rows and two `stock.movement.posted` events, one per warehouse. An ERP that books a
 * transfer as one move between two locations needs it as one fact, once: `stock.transfer.posted`.
 */
async function emitTransfer(
  uow: UnitOfWork,
  movements: StockMovement[],
  items: Map<string, Item>,
  warehouses: Map<string, Warehouse>,
): Promise<void> {
  const [out, into] = movements;
  if (movements.length !== 2 || out?.kind !== 'transfer_out' || into?.kind !== 'transfer_in') return;
  const transfer = transferFact(
    out,
    into,
    items.get(out.itemId) as Item,
    warehouses.get(out.warehouseId) as Warehouse,
    warehouses.get(into.warehouseId) as Warehouse,
  );
  await uow.emit({
    type: StockEvents.transferPosted,
    subject: `stock-transfer/${transfer.id}`,
    data: { transfer },
  });
}

import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import { milliToQuantity } from '../../shared/quantity.js';
import type { MovementKind, MovementListFilter, StockMovement, StockSerial } from './movement.schemas.js';
import type { StockMovementsTable, StockSerialsTable } from './tables.js';

export type MovementRow = Selectable<StockMovementsTable>;
export type SerialRow = Selectable<StockSerialsTable>;
export interface Pair {
  itemId: string;
  warehouseId: string;
}

export const pairKey = (p: Pair) => `${p.itemId}\u0000${p.warehouseId}`;

export function movementFromRow(row: MovementRow): StockMovement {
  return {
    id: row.id,
    kind: row.kind as MovementKind,
    itemId: row.item_id,
    warehouseId: row.warehouse_id,
    quantity: milliToQuantity(row.quantity_milli),
    onHandAfter: milliToQuantity(row.balance_after_milli),
    serials: JSON.parse(row.serials) as string[],
    reference: row.reference,
    workOrderId: row.work_order_id,
    counterpartWarehouseId: row.counterpart_warehouse_id,
    reason: row.reason,
    groupId: row.group_id,
    cycleCountId: row.cycle_count_id,
    postedAt: row.posted_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    idempotencyKey: row.idempotency_key,
  };
}

export function serialFromRow(row: SerialRow): StockSerial {
  return {
    itemId: row.item_id,
    serial: row.serial,
    warehouseId: row.warehouse_id,
    status: row.status as StockSerial['status'],
    workOrderId: row.work_order_id,
    lastMovementId: row.last_movement_id,
    updatedAt: row.updated_at,
  };
}

export function findMovementRow(db: Kysely<Database>, id: string): Promise<MovementRow | undefined> {
  return db.selectFrom('stock_movements').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findMovementByKey(db: Kysely<Database>, key: string): Promise<MovementRow | undefined> {
  return db.selectFrom('stock_movements').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export function findGroupRows(db: Kysely<Database>, groupId: string): Promise<MovementRow[]> {
  return db.selectFrom('stock_movements').selectAll().where('group_id', '=', groupId).orderBy('id').execute();
}

/**
 * Makes sure a level row exists for every pair, then locks them all (PostgreSQL FOR UPDATE) in one fixed
 * order, so two postings that touch overlapping pairs queue instead of deadlocking, and a check of
 * on-hand stays true until commit. Returns the current on-hand per pair key.
 */
export async function lockLevels(
  db: Kysely<Database>,
  pairs: Pair[],
  now: string,
): Promise<Map<string, number>> {
  const sorted = [...new Map(pairs.map((p) => [pairKey(p), p])).values()].sort((a, b) =>
    pairKey(a) < pairKey(b) ? -1 : pairKey(a) > pairKey(b) ? 1 : 0,
  );
  await db
    .insertInto('stock_levels')
    .values(
      sorted.map((p) => ({
        item_id: p.itemId,
        warehouse_id: p.warehouseId,
        quantity_milli: 0,
        version: 0,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['item_id', 'warehouse_id']).doNothing())
    .execute();
  let query = db
    .selectFrom('stock_levels')
    .select(['item_id', 'warehouse_id', 'quantity_milli'])
    .where((eb) =>
      eb.or(
        sorted.map((p) => eb.and([eb('item_id', '=', p.itemId), eb('warehouse_id', '=', p.warehouseId)])),
      ),
    )
    .orderBy('item_id')
    .orderBy('warehouse_id');
  if (engineOf(db) === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  return new Map(
    rows.map((r) => [pairKey({ itemId: r.item_id, warehouseId: r.warehouse_id }), Number(r.quantity_milli)]),
  );
}

/** Adds `delta` to a locked level row and returns the new on-hand. */
export async function addToLevel(
  db: Kysely<Database>,
  pair: Pair,
  delta: number,
  now: string,
): Promise<number> {
  const row = await db
    .updateTable('stock_levels')
    .set((eb) => ({
      quantity_milli: eb('quantity_milli', '+', delta),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('item_id', '=', pair.itemId)
    .where('warehouse_id', '=', pair.warehouseId)
    .returning('quantity_milli')
    .executeTakeFirstOrThrow();
  return Number(row.quantity_milli);
}

/** Serial rows of one item, locked on PostgreSQL so two postings cannot move the same unit. */
export async function lockSerials(
  db: Kysely<Database>,
  itemId: string,
  serials: string[],
): Promise<Map<string, SerialRow>> {
  if (serials.length === 0) return new Map();
  let query = db
    .selectFrom('stock_serials')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('serial', 'in', serials)
    .orderBy('serial');
  if (engineOf(db) === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.serial, r]));
}

/** Locks warehouse rows in shared mode: postings may run side by side, archiving waits for them. */
export async function shareLockWarehouses(db: Kysely<Database>, ids: string[]) {
  let query = db.selectFrom('warehouses').selectAll().where('id', 'in', ids).orderBy('id');
  if (engineOf(db) === 'postgres') query = query.forShare();
  return query.execute();
}

/** Turns a date or date-time filter bound into the ISO instant it stands for. */
export function boundInstant(value: string, side: 'from' | 'to'): { op: '>=' | '<=' | '<'; iso: string } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (side === 'from') return { op: '>=', iso: `${value}T00:00:00.000Z` };
    const next = new Date(`${value}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return { op: '<', iso: next.toISOString() };
  }
  return { op: side === 'from' ? '>=' : '<=', iso: new Date(value).toISOString() };
}

export function listMovementRows(
  db: Kysely<Database>,
  filter: MovementListFilter,
  page: { limit: number; afterId?: string },
): Promise<MovementRow[]> {
  let query = db
    .selectFrom('stock_movements')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.itemId) query = query.where('item_id', '=', filter.itemId);
  if (filter.warehouseId) query = query.where('warehouse_id', '=', filter.warehouseId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.workOrderId) query = query.where('work_order_id', '=', filter.workOrderId);
  if (filter.reference) query = query.where('reference', '=', filter.reference);
  if (filter.groupId) query = query.where('group_id', '=', filter.groupId);
  if (filter.from) {
    const b = boundInstant(filter.from, 'from');
    query = query.where('posted_at', b.op, b.iso);
  }
  if (filter.to) {
    const b = boundInstant(filter.to, 'to');
    query = query.where('posted_at', b.op, b.iso);
  }
  return query.execute();
}

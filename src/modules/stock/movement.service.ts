import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { quantityToMilli } from '../../shared/quantity.js';
import { parseInput } from '../../shared/parse-input.js';
import {
  boundInstant,
  findMovementByKey,
  findMovementRow,
  listMovementRows,
  movementFromRow,
} from './ledger.repository.js';
import type {
  AdjustmentInput,
  MovementListFilter,
  ReceiptInput,
  StockMovement,
  StockTransfer,
  TransferInput,
  WorkOrderMovementInput,
} from './movement.schemas.js';
import {
  adjustmentInputSchema,
  movementListQuerySchema,
  receiptInputSchema,
  transferInputSchema,
  workOrderMovementInputSchema,
} from './movement.schemas.js';
import type { MovementDraft } from './posting.js';
import { postedAtOf, submitPosting } from './submit-posting.js';

const actor = (createdBy: string | undefined) => createdBy ?? 'system';

/** Goods arriving in a warehouse (a purchase receipt, an ERP delivery). */
export async function postReceipt(executor: Executor, raw: ReceiptInput): Promise<StockMovement> {
  const input = parseInput(receiptInputSchema, raw);
  const draft: MovementDraft = {
    kind: 'receipt',
    itemId: input.itemId,
    warehouseId: input.warehouseId,
    quantityMilli: quantityToMilli(input.quantity),
    serials: input.serials ?? [],
    reference: input.reference ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
  };
  const [movement] = await submitPosting(executor, {
    drafts: [draft],
    postedAt: postedAtOf(input.postedAt),
    createdBy: actor(input.createdBy),
  });
  return movement as StockMovement;
}

function workOrderDraft(
  kind: 'issue' | 'return',
  raw: WorkOrderMovementInput,
): { draft: MovementDraft; postedAt: string; createdBy: string } {
  const input = parseInput(workOrderMovementInputSchema, raw);
  const milli = quantityToMilli(input.quantity);
  return {
    draft: {
      kind,
      itemId: input.itemId,
      warehouseId: input.warehouseId,
      quantityMilli: kind === 'issue' ? -milli : milli,
      serials: input.serials ?? [],
      reference: input.reference ?? null,
      workOrderId: input.workOrderId,
      idempotencyKey: input.idempotencyKey ?? null,
    },
    postedAt: postedAtOf(input.postedAt),
    createdBy: actor(input.createdBy),
  };
}

/**
 * Parts consumed by a work order, taken from a warehouse (usually the technician's van). Refused with a
 * 409 naming the available quantity when stock would go negative in a warehouse that does not allow it.
 * The work-orders module calls this inside its own transaction; the work order id is not checked here.
 */
export async function issueToWorkOrder(
  executor: Executor,
  raw: WorkOrderMovementInput,
): Promise<StockMovement> {
  const { draft, postedAt, createdBy } = workOrderDraft('issue', raw);
  const [movement] = await submitPosting(executor, { drafts: [draft], postedAt, createdBy });
  return movement as StockMovement;
}

/** Unused parts brought back from a work order into a warehouse. */
export async function returnFromWorkOrder(
  executor: Executor,
  raw: WorkOrderMovementInput,
): Promise<StockMovement> {
  const { draft, postedAt, createdBy } = workOrderDraft('return', raw);
  const [movement] = await submitPosting(executor, { drafts: [draft], postedAt, createdBy });
  return movement as StockMovement;
}

/**
 * Moves stock between two warehouses as two ledger rows (transfer_out, transfer_in) with one group id,
 * both or neither. The idempotency key is stored on the out-row.
 */
export async function transferStock(executor: Executor, raw: TransferInput): Promise<StockTransfer> {
  const input = parseInput(transferInputSchema, raw);
  if (input.fromWarehouseId === input.toWarehouseId) {
    throw errors.validation('a transfer needs two different warehouses', [
      { path: ['toWarehouseId'], message: 'must differ from fromWarehouseId' },
    ]);
  }
  const milli = quantityToMilli(input.quantity);
  const shared = { itemId: input.itemId, serials: input.serials ?? [], reference: input.reference ?? null };
  const drafts: MovementDraft[] = [
    {
      ...shared,
      kind: 'transfer_out',
      warehouseId: input.fromWarehouseId,
      counterpartWarehouseId: input.toWarehouseId,
      quantityMilli: -milli,
      idempotencyKey: input.idempotencyKey ?? null,
    },
    {
      ...shared,
      kind: 'transfer_in',
      warehouseId: input.toWarehouseId,
      counterpartWarehouseId: input.fromWarehouseId,
      quantityMilli: milli,
    },
  ];
  const [out, into] = await submitPosting(executor, {
    drafts,
    postedAt: postedAtOf(input.postedAt),
    createdBy: actor(input.createdBy),
  });
  if (!out || !into) throw new Error('a transfer posts exactly two movements');
  return { id: out.groupId, out, in: into };
}

/** A correction with a reason (damage, found stock, count difference); obeys the negative-stock rule. */
export async function postAdjustment(executor: Executor, raw: AdjustmentInput): Promise<StockMovement> {
  const input = parseInput(adjustmentInputSchema, raw);
  const draft: MovementDraft = {
    kind: 'adjustment',
    itemId: input.itemId,
    warehouseId: input.warehouseId,
    quantityMilli: quantityToMilli(input.quantityDelta),
    serials: input.serials ?? [],
    reference: input.reference ?? null,
    reason: input.reason,
    idempotencyKey: input.idempotencyKey ?? null,
    at: { quantity: ['quantityDelta'], serials: ['serials'] },
  };
  const [movement] = await submitPosting(executor, {
    drafts: [draft],
    postedAt: postedAtOf(input.postedAt),
    createdBy: actor(input.createdBy),
  });
  return movement as StockMovement;
}

export async function getMovement(executor: Executor, id: string): Promise<StockMovement> {
  const row = await findMovementRow(queryable(executor), id);
  if (!row) throw errors.notFound('stock movement', id);
  return movementFromRow(row);
}

/** The movement first posted with this idempotency key (for a transfer: its out-row), if any. */
export async function findMovementByIdempotencyKey(
  executor: Executor,
  key: string,
): Promise<StockMovement | undefined> {
  const row = await findMovementByKey(queryable(executor), key);
  return row ? movementFromRow(row) : undefined;
}

/** A `from` after `to` is a 400 naming both; `prefix` places them in the caller's input (e.g. the query). */
export function assertDateOrder(filter: { from?: string; to?: string }, prefix: string[] = []): void {
  if (!filter.from || !filter.to) return;
  const from = boundInstant(filter.from, 'from');
  const to = boundInstant(filter.to, 'to');
  if (to.op === '<' ? from.iso >= to.iso : from.iso > to.iso) {
    throw errors.validation(`from (${filter.from}) is after to (${filter.to})`, [
      { path: [...prefix, 'from'], message: 'must not be after to' },
      { path: [...prefix, 'to'], message: 'must not be before from' },
    ]);
  }
}

/** Movements in ledger order (id), filtered; a `from` after `to` is a 400. */
export async function listMovements(
  executor: Executor,
  rawFilter: MovementListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: StockMovement[]; nextAfterId: string | null }> {
  const filter = parseInput(movementListQuerySchema, rawFilter);
  assertDateOrder(filter);
  const rows = await listMovementRows(queryable(executor), filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(movementFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

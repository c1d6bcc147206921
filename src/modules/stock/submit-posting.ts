import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { isTransactionConflict, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import type { MovementRow } from './ledger.repository.js';
import { findGroupRows, findMovementByKey, movementFromRow } from './ledger.repository.js';
import type { StockMovement } from './movement.schemas.js';
import type { MovementDraft, Posting } from './posting.js';
import { applyPosting } from './posting.js';

/** Clock skew we tolerate on a client-supplied postedAt before calling it future-dated. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export function postedAtOf(value: string | undefined, path: (string | number)[] = ['postedAt']): string {
  if (value === undefined) return new Date().toISOString();
  const at = new Date(value);
  if (at.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
    throw errors.validation(
      `postedAt ${value} is in the future; movements may be backdated, not future-dated`,
      [{ path, message: 'must not be in the future' }],
    );
  }
  return at.toISOString();
}

const sameSerials = (a: string, b: string[]) =>
  JSON.stringify([...(JSON.parse(a) as string[])].sort()) === JSON.stringify([...b].sort());

function matches(row: MovementRow, draft: MovementDraft): boolean {
  return (
    row.kind === draft.kind &&
    row.item_id === draft.itemId &&
    row.warehouse_id === draft.warehouseId &&
    Number(row.quantity_milli) === draft.quantityMilli &&
    (row.counterpart_warehouse_id ?? null) === (draft.counterpartWarehouseId ?? null) &&
    (row.work_order_id ?? null) === (draft.workOrderId ?? null) &&
    sameSerials(row.serials, draft.serials)
  );
}

/**
 * A posting whose idempotency key was already used returns the movements first posted with it (nothing new
 * is written or emitted); the same key with a different movement is a 422.
 */
async function findReplay(db: Kysely<Database>, posting: Posting): Promise<StockMovement[] | undefined> {
  const first = posting.drafts[0];
  const key = first?.idempotencyKey;
  if (!first || !key) return undefined;
  const original = await findMovementByKey(db, key);
  if (!original) return undefined;
  if (!matches(original, first)) {
    throw errors.unprocessable(`idempotency key ${key} was already used for a different stock movement`, {
      idempotencyKey: key,
      movementId: original.id,
    });
  }
  const group = await findGroupRows(db, original.group_id);
  return [original, ...group.filter((r) => r.id !== original.id)].map(movementFromRow);
}

const isUnitOfWork = (executor: Executor) => 'emit' in executor;

/**
 * Runs a posting in its own transaction (or the caller's). When we own the transaction, a lost race on the
 * idempotency key turns into a replay of the winner, and a PostgreSQL deadlock/serialization failure is
 * retried a few times; inside a caller's transaction both surface to the caller, whose transaction
 * PostgreSQL has already aborted.
 */
export async function submitPosting(executor: Executor, posting: Posting): Promise<StockMovement[]> {
  const run = () =>
    inTransaction(executor, async (uow) => (await findReplay(uow.tx, posting)) ?? applyPosting(uow, posting));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (isUnitOfWork(executor)) {
        if (isUniqueViolation(error))
          throw errors.conflict(
            'a concurrent posting used the same idempotency key or serial numbers; retry',
            {},
          );
        throw error;
      }
      if (isUniqueViolation(error)) {
        const replay = await findReplay(queryable(executor), posting);
        if (replay) return replay;
        throw errors.conflict('a concurrent posting received the same serial numbers; retry', {});
      }
      if (attempt < 3 && isTransactionConflict(error)) continue;
      throw error;
    }
  }
}

import { getItem } from '../items/index.js';
import { forUpdate } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { quantityToMilli } from '../../shared/quantity.js';
import { assertVersion } from '../../shared/versioning.js';
import type { CycleCountRow } from './cycle-count.repository.js';
import {
  findCycleCountRow,
  findLines,
  hydrateCycleCounts,
  listCycleCountRows,
  snapshotOf,
} from './cycle-count.repository.js';
import type { CycleCount, CycleCountCreate, CycleCountListFilter } from './cycle-count.schemas.js';
import { cycleCountCreateSchema } from './cycle-count.schemas.js';
import { parseInput } from '../../shared/parse-input.js';
import type { MovementDraft } from './posting.js';
import { applyPosting, StockEvents } from './posting.js';
import { postedAtOf } from './submit-posting.js';
import { getWarehouse } from './warehouse.service.js';
import { warehouseRef } from './event-refs.js';

const subjectOf = (id: string) => `cycle-count/${id}`;

async function load(executor: Executor, id: string): Promise<CycleCount> {
  const db = queryable(executor);
  const row = await findCycleCountRow(db, id);
  if (!row) throw errors.notFound('cycle count', id);
  return (await hydrateCycleCounts(db, [row]))[0] as CycleCount;
}

/**
 * Records a count: for each line, what was counted and what the ledger said at that moment (expected).
 * Nothing moves until the count is posted.
 */
export async function createCycleCount(executor: Executor, raw: CycleCountCreate): Promise<CycleCount> {
  const input = parseInput(cycleCountCreateSchema, raw);
  const countedAt = postedAtOf(input.countedAt, ['countedAt']);
  return inTransaction(executor, async (uow) => {
    const warehouse = await getWarehouse(uow, input.warehouseId);
    if (warehouse.status === 'archived') {
      throw errors.conflict(`warehouse ${warehouse.code} is archived`, {
        warehouseId: warehouse.id,
        currentStatus: warehouse.status,
      });
    }
    const id = newId();
    const now = nowIso();
    const lines = [];
    for (const [index, line] of input.lines.entries()) {
      const item = await getItem(uow, line.itemId);
      const counted = line.countedSerials ?? [];
      const countedMilli = quantityToMilli(line.countedQuantity);
      if (item.kind === 'service') {
        throw errors.unprocessable(`item ${item.sku} is a service item and holds no stock`, {
          itemId: item.id,
        });
      }
      if (item.serialTracked && (countedMilli % 1000 !== 0 || counted.length !== countedMilli / 1000)) {
        throw errors.validation(`item ${item.sku} is serial-tracked: list one counted serial per unit`, [
          {
            path: ['lines', index, 'countedSerials'],
            message: 'needs exactly one distinct serial per counted unit',
          },
        ]);
      }
      if (!item.serialTracked && counted.length > 0) {
        throw errors.validation(`item ${item.sku} is not serial-tracked`, [
          {
            path: ['lines', index, 'countedSerials'],
            message: 'not allowed for an item that is not serial-tracked',
          },
        ]);
      }
      const expected = await snapshotOf(uow.tx, item.id, warehouse.id);
      lines.push({
        id: newId(),
        cycle_count_id: id,
        line_no: index + 1,
        item_id: item.id,
        expected_milli: expected.milli,
        counted_milli: countedMilli,
        expected_serials: JSON.stringify(item.serialTracked ? expected.serials : []),
        counted_serials: JSON.stringify([...counted].sort()),
      });
    }
    await uow.tx
      .insertInto('cycle_counts')
      .values({
        id,
        warehouse_id: warehouse.id,
        status: 'draft',
        counted_at: countedAt,
        note: input.note ?? null,
        created_by: input.createdBy ?? 'system',
        posted_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await uow.tx.insertInto('cycle_count_lines').values(lines).execute();
    const cycleCount = await load(uow, id);
    await uow.emit({ type: StockEvents.cycleCountCreated, subject: subjectOf(id), data: { cycleCount } });
    return cycleCount;
  });
}

async function lockDraft(
  uow: UnitOfWork,
  id: string,
  expectedVersion: number | undefined,
): Promise<CycleCountRow> {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('cycle_counts').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('cycle count', id);
  assertVersion('cycle count', id, Number(row.version), expectedVersion);
  if (row.status !== 'draft') {
    throw errors.conflict(`cycle count ${id} is ${row.status}; only a draft can be posted or cancelled`, {
      currentStatus: row.status,
      allowedFrom: ['draft'],
    });
  }
  return row;
}

/** One adjustment per differing line; serial lines write off missing units and take in found ones. */
function adjustmentsFor(row: CycleCountRow, lines: Awaited<ReturnType<typeof findLines>>): MovementDraft[] {
  const drafts: MovementDraft[] = [];
  const base = { warehouseId: row.warehouse_id, cycleCountId: row.id, reason: `cycle count ${row.id}` };
  for (const line of lines) {
    const expected = JSON.parse(line.expected_serials) as string[];
    const counted = JSON.parse(line.counted_serials) as string[];
    const key = `cycle-count:${row.id}:${line.item_id}`;
    if (expected.length > 0 || counted.length > 0) {
      const missing = expected.filter((s) => !counted.includes(s));
      const found = counted.filter((s) => !expected.includes(s));
      if (missing.length > 0) {
        drafts.push({
          ...base,
          kind: 'adjustment',
          itemId: line.item_id,
          quantityMilli: -missing.length * 1000,
          serials: missing,
          idempotencyKey: `${key}:out`,
        });
      }
      if (found.length > 0) {
        drafts.push({
          ...base,
          kind: 'adjustment',
          itemId: line.item_id,
          quantityMilli: found.length * 1000,
          serials: found,
          idempotencyKey: `${key}:in`,
        });
      }
      continue;
    }
    const delta = Number(line.counted_milli) - Number(line.expected_milli);
    if (delta !== 0)
      drafts.push({
        ...base,
        kind: 'adjustment',
        itemId: line.item_id,
        quantityMilli: delta,
        serials: [],
        idempotencyKey: key,
      });
  }
  return drafts;
}

/**
 * Posts a draft count: each line's difference (counted − expected at count time) is booked as an
 * adjustment on top of the current on-hand, so movements made between counting and posting are kept.
 * Posting twice is a 409 (the count is no longer a draft); the adjustments carry idempotency keys too.
 */
export async function postCycleCount(
  executor: Executor,
  id: string,
  options: { createdBy?: string; expectedVersion?: number } = {},
): Promise<CycleCount> {
  return inTransaction(executor, async (uow) => {
    const row = await lockDraft(uow, id, options.expectedVersion);
    const drafts = adjustmentsFor(row, await findLines(uow.tx, id));
    const now = nowIso();
    const movements =
      drafts.length > 0
        ? await applyPosting(uow, { drafts, postedAt: now, createdBy: options.createdBy ?? 'system' })
        : [];
    await uow.tx
      .updateTable('cycle_counts')
      .set({ status: 'posted', posted_at: now, version: Number(row.version) + 1, updated_at: now })
      .where('id', '=', id)
      .execute();
    const cycleCount = await load(uow, id);
    await uow.emit({
      type: StockEvents.cycleCountPosted,
      subject: subjectOf(id),
      data: { cycleCount, movements, changedFields: ['status'], ...(await erpNames(uow, cycleCount)) },
    });
    return cycleCount;
  });
}

/**
 * The count's warehouse and its lines with the items' SKUs, for ERPs (which know neither our ids): the
 * lines are `cycleCount.lines` plus `sku`.
 */
async function erpNames(uow: UnitOfWork, cycleCount: CycleCount) {
  const warehouse = warehouseRef(await getWarehouse(uow, cycleCount.warehouseId));
  const lines = [];
  for (const line of cycleCount.lines) lines.push({ ...line, sku: (await getItem(uow, line.itemId)).sku });
  return { warehouse, lines };
}

export async function cancelCycleCount(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<CycleCount> {
  return inTransaction(executor, async (uow) => {
    const row = await lockDraft(uow, id, expectedVersion);
    await uow.tx
      .updateTable('cycle_counts')
      .set({ status: 'cancelled', version: Number(row.version) + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const cycleCount = await load(uow, id);
    await uow.emit({
      type: StockEvents.cycleCountCancelled,
      subject: subjectOf(id),
      data: { cycleCount, changedFields: ['status'] },
    });
    return cycleCount;
  });
}

export function getCycleCount(executor: Executor, id: string): Promise<CycleCount> {
  return load(executor, id);
}

export async function listCycleCounts(
  executor: Executor,
  filter: CycleCountListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: CycleCount[]; nextAfterId: string | null }> {
  const db = queryable(executor);
  const rows = await listCycleCountRows(db, filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: await hydrateCycleCounts(db, pageRows),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

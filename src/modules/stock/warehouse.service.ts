import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import { parseInput } from '../../shared/parse-input.js';
import {
  countNonZeroLevels,
  findWarehouseByCode,
  findWarehouseRow,
  listWarehouseRows,
  warehouseFromRow,
} from './warehouse.repository.js';
import type { Warehouse, WarehouseCreate, WarehouseListFilter, WarehousePatch } from './warehouse.schemas.js';
import { warehouseCreateSchema, warehousePatchSchema } from './warehouse.schemas.js';

export const WarehouseEvents = {
  created: 'warehouse.created',
  updated: 'warehouse.updated',
  archived: 'warehouse.archived',
} as const;
const subjectOf = (id: string) => `warehouse/${id}`;

async function assertCodeFree(db: Kysely<Database>, code: string, selfId?: string): Promise<void> {
  const other = await findWarehouseByCode(db, code);
  if (other && other.id !== selfId) {
    throw errors.conflict(`warehouse code ${code} is already used by warehouse ${other.id}`, {
      field: 'code',
      conflictingId: other.id,
    });
  }
}

function rethrowUnique(error: unknown, code: string): never {
  if (isUniqueViolation(error))
    throw errors.conflict(`warehouse code ${code} is already used`, { field: 'code' });
  throw error;
}

export async function createWarehouse(executor: Executor, raw: WarehouseCreate): Promise<Warehouse> {
  const input = parseInput(warehouseCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    await assertCodeFree(uow.tx, input.code);
    const now = nowIso();
    const row = {
      id: newId(),
      code: input.code,
      name: input.name,
      kind: input.kind,
      region: input.region,
      erp_location_ref: input.erpLocationRef ?? null,
      allow_negative: input.allowNegative ? 1 : 0,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await uow.tx.insertInto('warehouses').values(row).execute();
    } catch (error) {
      rethrowUnique(error, input.code);
    }
    const warehouse = warehouseFromRow(row);
    await uow.emit({ type: WarehouseEvents.created, subject: subjectOf(warehouse.id), data: { warehouse } });
    return warehouse;
  });
}

export async function getWarehouse(executor: Executor, id: string): Promise<Warehouse> {
  const row = await findWarehouseRow(queryable(executor), id);
  if (!row) throw errors.notFound('warehouse', id);
  return warehouseFromRow(row);
}

export async function listWarehouses(
  executor: Executor,
  filter: WarehouseListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: Warehouse[]; nextAfterId: string | null }> {
  const rows = await listWarehouseRows(queryable(executor), filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(warehouseFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

const columns = {
  code: 'code',
  name: 'name',
  kind: 'kind',
  region: 'region',
  erpLocationRef: 'erp_location_ref',
} as const;

export async function updateWarehouse(
  executor: Executor,
  id: string,
  rawPatch: WarehousePatch,
  expectedVersion?: number,
): Promise<Warehouse> {
  const patch = parseInput(warehousePatchSchema, rawPatch);
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('warehouses').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('warehouse', id);
    assertVersion('warehouse', id, Number(row.version), expectedVersion);
    if (row.status === 'archived')
      throw errors.conflict(`warehouse ${id} is archived`, { currentStatus: row.status });
    if (patch.code !== undefined) await assertCodeFree(uow.tx, patch.code, id);

    const next: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(columns)) {
      const value = (patch as Record<string, unknown>)[field];
      if (value !== undefined && (row as Record<string, unknown>)[column] !== value) {
        next[column] = value;
        changed.push(field);
      }
    }
    if (patch.allowNegative !== undefined && patch.allowNegative !== (Number(row.allow_negative) === 1)) {
      next.allow_negative = patch.allowNegative ? 1 : 0;
      changed.push('allowNegative');
    }
    if (changed.length === 0) return warehouseFromRow(row);
    try {
      await uow.tx
        .updateTable('warehouses')
        .set({ ...next, version: Number(row.version) + 1, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      rethrowUnique(error, patch.code ?? row.code);
    }
    const warehouse = await getWarehouse(uow, id);
    await uow.emit({
      type: WarehouseEvents.updated,
      subject: subjectOf(id),
      data: { warehouse, changedFields: changed },
    });
    return warehouse;
  });
}

/** Archiving a warehouse that still holds stock would hide that stock, so it must be emptied first. */
export async function archiveWarehouse(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<Warehouse> {
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('warehouses').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('warehouse', id);
    assertVersion('warehouse', id, Number(row.version), expectedVersion);
    if (row.status === 'archived') return warehouseFromRow(row);
    const holding = await countNonZeroLevels(uow.tx, id);
    if (holding > 0) {
      throw errors.conflict(
        `warehouse ${id} still holds stock of ${holding} item(s); move or adjust it to zero first`,
        {
          nonZeroItems: holding,
        },
      );
    }
    await uow.tx
      .updateTable('warehouses')
      .set({ status: 'archived', version: Number(row.version) + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const warehouse = await getWarehouse(uow, id);
    await uow.emit({
      type: WarehouseEvents.archived,
      subject: subjectOf(id),
      data: { warehouse, changedFields: ['status'] },
    });
    return warehouse;
  });
}

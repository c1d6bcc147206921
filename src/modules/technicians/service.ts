import type { Kysely } from 'kysely';
import { getWarehouse } from '../stock/index.js';
import type { Database } from '../../platform/db/index.js';
import { forUpdate, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors, isAppError } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { toMinorUnits } from '../../shared/money.js';
import { assertVersion } from '../../shared/versioning.js';
import { parseInput } from '../../shared/parse-input.js';
import {
  findTechnicianByCode,
  findTechnicianRow,
  listTechnicianRows,
  technicianFromRow,
} from './repository.js';
import type { Technician, TechnicianCreate, TechnicianListFilter, TechnicianPatch } from './schemas.js';
import { technicianCreateSchema, technicianPatchSchema } from './schemas.js';

export const TechnicianEvents = {
  created: 'technician.created',
  updated: 'technician.updated',
  archived: 'technician.archived',
} as const;
const subjectOf = (id: string) => `technician/${id}`;

async function assertCodeFree(db: Kysely<Database>, code: string, selfId?: string): Promise<void> {
  const other = await findTechnicianByCode(db, code);
  if (other && other.id !== selfId) {
    throw errors.conflict(`technician code ${code} is already used by technician ${other.id}`, {
      field: 'code',
      conflictingId: other.id,
    });
  }
}

function rethrowUnique(error: unknown, code: string): never {
  if (isUniqueViolation(error))
    throw errors.conflict(`technician code ${code} is already used`, { field: 'code' });
  throw error;
}

/** The home van must be an active warehouse of kind van; anything else is a 422 naming what it is. */
async function assertVan(executor: Executor, warehouseId: string | null | undefined): Promise<void> {
  if (!warehouseId) return;
  const warehouse = await getWarehouse(executor, warehouseId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') {
      throw errors.unprocessable(
        `warehouse ${warehouseId} does not exist`,
        { field: 'homeVanWarehouseId', warehouseId },
        [{ path: ['homeVanWarehouseId'], message: 'no such warehouse' }],
      );
    }
    throw error;
  });
  if (warehouse.kind !== 'van' || warehouse.status !== 'active') {
    throw errors.unprocessable(
      `warehouse ${warehouse.code} is ${warehouse.status === 'active' ? `a ${warehouse.kind} warehouse` : 'archived'}, not an active van`,
      { field: 'homeVanWarehouseId', warehouseId, kind: warehouse.kind, currentStatus: warehouse.status },
      [{ path: ['homeVanWarehouseId'], message: 'must be an active warehouse of kind van' }],
    );
  }
}

export async function createTechnician(executor: Executor, raw: TechnicianCreate): Promise<Technician> {
  const input = parseInput(technicianCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    await assertCodeFree(uow.tx, input.code);
    await assertVan(uow, input.homeVanWarehouseId);
    const now = nowIso();
    const row = {
      id: newId(),
      code: input.code,
      name: input.name,
      region: input.region,
      skills: JSON.stringify(input.skills),
      home_van_warehouse_id: input.homeVanWarehouseId ?? null,
      cost_rate_minor: toMinorUnits(input.costRate.amount, input.costRate.currency),
      cost_currency: input.costRate.currency,
      email: input.email ?? null,
      phone: input.phone ?? null,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await uow.tx.insertInto('technicians').values(row).execute();
    } catch (error) {
      rethrowUnique(error, input.code);
    }
    const technician = technicianFromRow(row);
    await uow.emit({
      type: TechnicianEvents.created,
      subject: subjectOf(technician.id),
      data: { technician },
    });
    return technician;
  });
}

export async function getTechnician(executor: Executor, id: string): Promise<Technician> {
  const row = await findTechnicianRow(queryable(executor), id);
  if (!row) throw errors.notFound('technician', id);
  return technicianFromRow(row);
}

export async function listTechnicians(
  executor: Executor,
  filter: TechnicianListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: Technician[]; nextAfterId: string | null }> {
  const rows = await listTechnicianRows(queryable(executor), filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(technicianFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

const plainColumns = {
  code: 'code',
  name: 'name',
  region: 'region',
  homeVanWarehouseId: 'home_van_warehouse_id',
  email: 'email',
  phone: 'phone',
} as const;

export async function updateTechnician(
  executor: Executor,
  id: string,
  rawPatch: TechnicianPatch,
  expectedVersion?: number,
): Promise<Technician> {
  const patch = parseInput(technicianPatchSchema, rawPatch);
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('technicians').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('technician', id);
    assertVersion('technician', id, Number(row.version), expectedVersion);
    if (row.status === 'archived')
      throw errors.conflict(`technician ${id} is archived`, { currentStatus: row.status });
    if (patch.code !== undefined) await assertCodeFree(uow.tx, patch.code, id);

    const next: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(plainColumns)) {
      const value = (patch as Record<string, unknown>)[field];
      if (value !== undefined && (row as Record<string, unknown>)[column] !== value) {
        next[column] = value;
        changed.push(field);
      }
    }
    if (changed.includes('homeVanWarehouseId')) await assertVan(uow, patch.homeVanWarehouseId);
    if (patch.skills !== undefined && JSON.stringify(patch.skills) !== row.skills) {
      next.skills = JSON.stringify(patch.skills);
      changed.push('skills');
    }
    if (patch.costRate !== undefined) {
      const minor = toMinorUnits(patch.costRate.amount, patch.costRate.currency);
      if (minor !== Number(row.cost_rate_minor) || patch.costRate.currency !== row.cost_currency) {
        Object.assign(next, { cost_rate_minor: minor, cost_currency: patch.costRate.currency });
        changed.push('costRate');
      }
    }
    if (changed.length === 0) return technicianFromRow(row);
    try {
      await uow.tx
        .updateTable('technicians')
        .set({ ...next, version: Number(row.version) + 1, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      rethrowUnique(error, patch.code ?? row.code);
    }
    const technician = await getTechnician(uow, id);
    await uow.emit({
      type: TechnicianEvents.updated,
      subject: subjectOf(id),
      data: { technician, changedFields: changed },
    });
    return technician;
  });
}

export async function archiveTechnician(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<Technician> {
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('technicians').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('technician', id);
    assertVersion('technician', id, Number(row.version), expectedVersion);
    if (row.status === 'archived') return technicianFromRow(row);
    await uow.tx
      .updateTable('technicians')
      .set({ status: 'archived', version: Number(row.version) + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const technician = await getTechnician(uow, id);
    await uow.emit({
      type: TechnicianEvents.archived,
      subject: subjectOf(id),
      data: { technician, changedFields: ['status'] },
    });
    return technician;
  });
}

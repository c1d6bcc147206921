import type { Warehouse } from '../../modules/stock/index.js';
import {
  archiveWarehouse,
  createWarehouse,
  getWarehouse,
  listWarehouses,
  updateWarehouse,
  warehouseCreateSchema,
  warehousePatchSchema,
} from '../../modules/stock/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { readLocal } from './applier.js';
import { parsePulled, withoutNulls } from './applier.js';
import { findWarehouseByRef } from './warehouse-ref.js';

/**
 * Warehouses from ERP locations (e.g. Tryton storage locations). Matched by `erpLocationRef`, else by a
 * code equal to the pulled `erpLocationRef` or `code` on a warehouse that names no other location. All
 * changes go through the stock module's warehouse functions, so its rules (unique code, an archived
 * warehouse is read-only, one that holds stock cannot be archived) apply and its events are emitted.
 *
 * `status` (`active` | `archived`) is not a field of the module's inputs: a pulled `archived` archives the
 * warehouse with `archiveWarehouse` (after the other fields); Fieldsync cannot reactivate a warehouse, so
 * an ERP location that becomes active again while its warehouse is archived is a record-level conflict.
 */
const toLocal = (w: Warehouse): LocalRecord => ({
  id: w.id,
  version: w.version,
  updatedAt: w.updatedAt,
  data: w,
});

const read = readLocal(getWarehouse, toLocal);

const statuses = ['active', 'archived'] as const;
type Status = (typeof statuses)[number];

/** Splits `status` off the module fields; an unknown status is a validation error. */
function split(values: Readonly<Record<string, unknown>>): {
  fields: Record<string, unknown>;
  status: Status | undefined;
} {
  const { status, ...fields } = values;
  if (status === undefined || status === null) return { fields, status: undefined };
  if (typeof status !== 'string' || !(statuses as readonly string[]).includes(status))
    throw errors.validation(`pulled warehouse is invalid: status: one of ${statuses.join(', ')}`, [
      { path: ['status'], message: `one of ${statuses.join(', ')}` },
    ]);
  return { fields, status: status as Status };
}

async function archive(uow: UnitOfWork, warehouse: Warehouse): Promise<Warehouse> {
  if (warehouse.status === 'archived') return warehouse;
  return archiveWarehouse(uow, warehouse.id, warehouse.version);
}

export const warehouseApplier: InboundApplier = {
  entity: 'warehouse',
  eventKey: 'warehouse',
  fields: ['code', 'name', 'kind', 'region', 'erpLocationRef', 'allowNegative', 'status'],
  read,
  async findMatch(executor, values) {
    const ref =
      typeof values.erpLocationRef === 'string' && values.erpLocationRef !== ''
        ? values.erpLocationRef
        : undefined;
    if (ref !== undefined) {
      const byRef = await findWarehouseByRef(executor, ref, { byCode: false });
      if (byRef) return toLocal(byRef);
    }
    // A warehouse made by hand with the location's code, before it named the location: the same place.
    for (const code of new Set([values.code, ref])) {
      if (typeof code !== 'string' || code === '') continue;
      const [byCode] = (await listWarehouses(executor, { code }, { limit: 1 })).data;
      if (byCode && (byCode.erpLocationRef ?? ref) === ref) return toLocal(byCode);
    }
    return undefined;
  },
  async create(uow, values) {
    const { fields, status } = split(values);
    const input = parsePulled(warehouseCreateSchema, withoutNulls(fields), 'warehouse');
    const created = await createWarehouse(uow, input);
    // An ERP location that is already inactive is mirrored as an archived (empty) warehouse.
    return toLocal(status === 'archived' ? await archive(uow, created) : created);
  },
  async update(uow, id, patch, expectedVersion) {
    const { fields, status } = split(patch);
    let current = await getWarehouse(uow, id);
    if (current.status === 'archived' && status === 'active')
      throw errors.conflict(
        `warehouse ${current.code} (${id}) is archived and Fieldsync cannot reactivate a warehouse; its ERP location is active again`,
        { warehouseId: id, currentStatus: current.status },
      );
    if (Object.keys(fields).length > 0) {
      const input = parsePulled(warehousePatchSchema, fields, 'warehouse change');
      current = await updateWarehouse(uow, id, input, expectedVersion);
    } else if (current.version !== expectedVersion) {
      throw errors.preconditionFailed(`warehouse ${id} changed while the pull applied it`, {
        expectedVersion,
        currentVersion: current.version,
      });
    }
    if (status === 'archived') current = await archive(uow, current);
    return toLocal(current);
  },
};

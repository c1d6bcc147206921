import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { milliToQuantity, quantityToMilli } from '../../shared/quantity.js';
import { issueToWorkOrder, returnFromWorkOrder } from '../stock/index.js';
import { commitChange, WorkOrderEvents } from './events.js';
import type { PartInput } from './execution-schemas.js';
import { partInputSchema } from './execution-schemas.js';
import { lockExecuting } from './execution-kit.js';
import { resolvePartItem } from './lookups.js';
import { parseInput } from '../../shared/parse-input.js';

const executed = { executedContentChanged: true } as const;
import { unresolved } from './references.js';
import type { WorkOrderRow } from './repository.js';
import { partFromRow } from './repository.js';
import type { PartLine, WorkOrder } from './schemas.js';
import { resolveTechnician } from './technician-lookup.js';

type ParsedPart = ReturnType<typeof partInputSchema.parse>;

/** The van of whoever does the work, unless the request names another warehouse. */
async function warehouseFor(
  uow: UnitOfWork,
  wo: WorkOrderRow,
  input: ParsedPart,
  path: (string | number)[],
): Promise<string> {
  if (input.warehouseId) return input.warehouseId;
  if (!wo.technician_id)
    throw unresolved(
      [...path, 'warehouseId'],
      `work order ${wo.id} has no technician whose van to use; name warehouseId`,
    );
  const technician = await resolveTechnician(uow, wo.technician_id, ['technicianId']);
  if (!technician.homeVanWarehouseId) {
    throw unresolved(
      [...path, 'warehouseId'],
      `technician ${technician.id} has no home van; name warehouseId`,
      { technicianId: technician.id },
    );
  }
  return technician.homeVanWarehouseId;
}

/**
 * Posts the stock issue and the part line in the caller's transaction: both commit or neither. A short
 * van is the stock module's 409 (with the available quantity), and nothing is written.
 */
export async function insertPartLine(
  uow: UnitOfWork,
  wo: WorkOrderRow,
  input: ParsedPart,
  path: (string | number)[] = [],
): Promise<PartLine> {
  const item = await resolvePartItem(uow, input.itemId, path);
  if (input.assetId !== undefined) {
    const onWo = await uow.tx
      .selectFrom('work_order_assets')
      .select('asset_id')
      .where('work_order_id', '=', wo.id)
      .where('asset_id', '=', input.assetId)
      .executeTakeFirst();
    if (!onWo)
      throw unresolved([...path, 'assetId'], `asset ${input.assetId} is not on work order ${wo.id}`, {
        assetId: input.assetId,
      });
  }
  const warehouseId = await warehouseFor(uow, wo, input, path);
  const id = newId();
  const movement = await issueToWorkOrder(uow, {
    itemId: item.id,
    warehouseId,
    quantity: input.quantity,
    serials: input.serials,
    workOrderId: wo.id,
    reference: wo.number,
    idempotencyKey: `work_order_part:${id}`,
  });
  const row = {
    id,
    work_order_id: wo.id,
    item_id: item.id,
    sku: item.sku,
    name: item.name,
    category: item.category,
    unit: item.unit,
    quantity_milli: quantityToMilli(input.quantity),
    serials: JSON.stringify(input.serials),
    warehouse_id: warehouseId,
    asset_id: input.assetId ?? null,
    stock_reference: movement.id,
    created_at: nowIso(),
  };
  await uow.tx.insertInto('work_order_parts').values(row).execute();
  return partFromRow(row);
}

/** Takes a part line off and posts the return of exactly what was issued to the same warehouse. */
export async function deletePartLine(uow: UnitOfWork, wo: WorkOrderRow, partId: string): Promise<PartLine> {
  const row = await uow.tx
    .selectFrom('work_order_parts')
    .selectAll()
    .where('id', '=', partId)
    .where('work_order_id', '=', wo.id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('part line', partId);
  await returnFromWorkOrder(uow, {
    itemId: row.item_id,
    warehouseId: row.warehouse_id,
    quantity: milliToQuantity(row.quantity_milli),
    serials: JSON.parse(row.serials) as string[],
    workOrderId: wo.id,
    reference: wo.number,
    idempotencyKey: `work_order_part_return:${row.id}`,
  });
  await uow.tx.deleteFrom('work_order_parts').where('id', '=', partId).execute();
  return partFromRow(row);
}

export async function addPart(
  executor: Executor,
  id: string,
  raw: PartInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(partInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockExecuting(uow, id, expectedVersion);
    const part = await insertPartLine(uow, row, input);
    return commitChange(uow, id, WorkOrderEvents.partUsed, ['parts'], { part }, executed);
  });
}

export async function removePart(
  executor: Executor,
  id: string,
  partId: string,
  expectedVersion?: number,
): Promise<WorkOrder> {
  return inTransaction(executor, async (uow) => {
    const row = await lockExecuting(uow, id, expectedVersion);
    const part = await deletePartLine(uow, row, partId);
    return commitChange(uow, id, WorkOrderEvents.partRemoved, ['parts'], { part }, executed);
  });
}

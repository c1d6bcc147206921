import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { commitChange, WorkOrderEvents } from './events.js';
import type { LaborInput } from './execution-schemas.js';
import { laborInputSchema } from './execution-schemas.js';
import { lockExecuting } from './execution-kit.js';
import { parseInput } from '../../shared/parse-input.js';

const executed = { executedContentChanged: true } as const;
import { unresolved } from './references.js';
import type { WorkOrderRow } from './repository.js';
import { laborFromRow } from './repository.js';
import type { LaborLine, WorkOrder } from './schemas.js';
import { resolveTechnician } from './technician-lookup.js';
import { assertNotFuture } from './time-rules.js';

type ParsedLabor = ReturnType<typeof laborInputSchema.parse>;

/** Validates and inserts one labor line; shared by addLabor and corrections. */
export async function insertLaborLine(
  uow: UnitOfWork,
  wo: WorkOrderRow,
  input: ParsedLabor,
  path: (string | number)[] = [],
): Promise<LaborLine> {
  const technicianId = input.technicianId ?? wo.technician_id;
  if (!technicianId)
    throw unresolved([...path, 'technicianId'], `work order ${wo.id} has no technician; name technicianId`);
  const technician = await resolveTechnician(uow, technicianId, [...path, 'technicianId']);
  const startedAt = input.startedAt === undefined ? null : new Date(input.startedAt).toISOString();
  const endedAt = input.endedAt === undefined ? null : new Date(input.endedAt).toISOString();
  if (endedAt !== null) assertNotFuture(endedAt, [...path, 'endedAt'].join('.'));
  else if (startedAt !== null) assertNotFuture(startedAt, [...path, 'startedAt'].join('.'));
  // Durations are whole minutes, rounded to the nearest (at least 1); billing applies its own rounding.
  const minutes =
    input.durationMinutes ??
    Math.max(1, Math.round((Date.parse(endedAt ?? '') - Date.parse(startedAt ?? '')) / 60_000));
  const row = {
    id: newId(),
    work_order_id: wo.id,
    technician_id: technician.id,
    technician_name: technician.name,
    labor_type: input.laborType,
    started_at: startedAt,
    ended_at: endedAt,
    duration_minutes: minutes,
    billable: input.billable ? 1 : 0,
    note: input.note ?? null,
    created_at: nowIso(),
  };
  await uow.tx.insertInto('work_order_labor').values(row).execute();
  return laborFromRow(row);
}

export async function deleteLaborLine(
  uow: UnitOfWork,
  workOrderId: string,
  laborId: string,
): Promise<LaborLine> {
  const row = await uow.tx
    .selectFrom('work_order_labor')
    .selectAll()
    .where('id', '=', laborId)
    .where('work_order_id', '=', workOrderId)
    .executeTakeFirst();
  if (!row) throw errors.notFound('labor entry', laborId);
  await uow.tx.deleteFrom('work_order_labor').where('id', '=', laborId).execute();
  return laborFromRow(row);
}

/** Records time spent: start and end (end after start), or a duration in minutes. */
export async function addLabor(
  executor: Executor,
  id: string,
  raw: LaborInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(laborInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockExecuting(uow, id, expectedVersion);
    const labor = await insertLaborLine(uow, row, input);
    return commitChange(uow, id, WorkOrderEvents.laborRecorded, ['labor'], { labor }, executed);
  });
}

export async function removeLabor(
  executor: Executor,
  id: string,
  laborId: string,
  expectedVersion?: number,
): Promise<WorkOrder> {
  return inTransaction(executor, async (uow) => {
    await lockExecuting(uow, id, expectedVersion);
    const labor = await deleteLaborLine(uow, id, laborId);
    return commitChange(uow, id, WorkOrderEvents.laborRemoved, ['labor'], { labor }, executed);
  });
}

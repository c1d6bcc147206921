import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { assertVersion } from '../../shared/versioning.js';
import { completeLocked } from './completion.service.js';
import { commitChange, WorkOrderEvents } from './events.js';
import { parseInput } from '../../shared/parse-input.js';
import type { WorkOrderRow } from './repository.js';
import { lockWorkOrder } from './repository.js';
import type { ScheduleInput, TransitionInput, WorkOrder } from './schemas.js';
import { scheduleInputSchema, transitionInputSchema } from './schemas.js';
import type { WorkOrderStatus } from './status.js';
import { assertTransition } from './status.js';
import { resolveTechnician } from './technician-lookup.js';
import { assertNotBefore, assertNotFuture } from './time-rules.js';

async function lockAt(
  uow: UnitOfWork,
  id: string,
  expectedVersion: number | undefined,
): Promise<WorkOrderRow> {
  const row = await lockWorkOrder(uow, id);
  assertVersion('work order', id, Number(row.version), expectedVersion);
  return row;
}

/**
 * Assigns the technician and planned window; a draft becomes scheduled, a scheduled work order is
 * rescheduled. Once work has started the plan is history and no longer moves.
 */
export async function scheduleWorkOrder(
  executor: Executor,
  id: string,
  raw: ScheduleInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(scheduleInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockAt(uow, id, expectedVersion);
    const status = row.status as WorkOrderStatus;
    if (status !== 'draft' && status !== 'scheduled') assertTransition(id, status, 'scheduled');
    const technician = await resolveTechnician(uow, input.technicianId, ['technicianId']);
    return commitChange(
      uow,
      id,
      WorkOrderEvents.scheduled,
      status === 'draft' ? ['status', 'plan'] : ['plan'],
      {},
      {
        columns: {
          status: 'scheduled',
          technician_id: technician.id,
          technician_name: technician.name,
          planned_start: new Date(input.plannedStart).toISOString(),
          planned_end: new Date(input.plannedEnd).toISOString(),
        },
      },
    );
  });
}

async function toScheduled(uow: UnitOfWork, row: WorkOrderRow): Promise<WorkOrder> {
  const missing = (['technician_id', 'planned_start', 'planned_end'] as const).filter((c) => row[c] === null);
  if (missing.length > 0) {
    throw errors.unprocessable(
      `work order ${row.id} needs a technician and a planned window before it is scheduled; use POST /work-orders/{id}/schedule`,
      {
        missing: missing.map(
          (c) =>
            ({ technician_id: 'technicianId', planned_start: 'plannedStart', planned_end: 'plannedEnd' })[c],
        ),
      },
    );
  }
  return commitChange(
    uow,
    row.id,
    WorkOrderEvents.scheduled,
    ['status'],
    {},
    { columns: { status: 'scheduled' } },
  );
}

async function toInProgress(uow: UnitOfWork, row: WorkOrderRow, at: string | undefined): Promise<WorkOrder> {
  const startedAt = new Date(at ?? nowIso()).toISOString();
  assertNotFuture(startedAt, 'at');
  return commitChange(
    uow,
    row.id,
    WorkOrderEvents.started,
    ['status', 'startedAt'],
    {},
    { columns: { status: 'in_progress', started_at: startedAt } },
  );
}

/**
 * Cancelling after parts were used would strand stock on a dead work order, so it is refused until each
 * part line is removed (which posts the return to the warehouse). Labor stays as the record of time spent.
 */
async function toCancelled(
  uow: UnitOfWork,
  row: WorkOrderRow,
  reason: string | undefined,
): Promise<WorkOrder> {
  const parts = await uow.tx
    .selectFrom('work_order_parts')
    .select(['id', 'sku', 'quantity_milli'])
    .where('work_order_id', '=', row.id)
    .execute();
  if (parts.length > 0) {
    throw errors.conflict(
      `work order ${row.id} has ${parts.length} part line(s); remove them (posting returns) before cancelling`,
      {
        status: row.status,
        partLineIds: parts.map((p) => p.id),
      },
    );
  }
  return commitChange(
    uow,
    row.id,
    WorkOrderEvents.cancelled,
    ['status'],
    {},
    { columns: { status: 'cancelled', cancelled_at: nowIso(), cancel_reason: reason ?? null } },
  );
}

async function toClosed(uow: UnitOfWork, row: WorkOrderRow, at: string | undefined): Promise<WorkOrder> {
  const closedAt = new Date(at ?? nowIso()).toISOString();
  assertNotBefore(closedAt, row.completed_at, 'at', 'completedAt');
  return commitChange(
    uow,
    row.id,
    WorkOrderEvents.closed,
    ['status'],
    {},
    { columns: { status: 'closed', closed_at: closedAt } },
  );
}

/** Moves a work order along `allowedTransitions`; anything else is a 409 naming the allowed targets. */
export async function transitionWorkOrder(
  executor: Executor,
  id: string,
  raw: TransitionInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(transitionInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockAt(uow, id, expectedVersion);
    const from = row.status as WorkOrderStatus;
    assertTransition(id, from, input.to);
    switch (input.to) {
      case 'scheduled':
        return toScheduled(uow, row);
      case 'in_progress':
        return toInProgress(uow, row, input.at);
      case 'completed':
        return completeLocked(uow, row, input.at);
      case 'closed':
        return toClosed(uow, row, input.at);
      case 'cancelled':
        return toCancelled(uow, row, input.reason);
      case 'draft':
        // No transition leads back to draft; assertTransition has already refused it.
        throw new Error('unreachable: draft is never a target');
    }
  });
}

export const startWorkOrder = (executor: Executor, id: string, at?: string, expectedVersion?: number) =>
  transitionWorkOrder(executor, id, { to: 'in_progress', ...(at !== undefined && { at }) }, expectedVersion);
export const cancelWorkOrder = (executor: Executor, id: string, reason?: string, expectedVersion?: number) =>
  transitionWorkOrder(
    executor,
    id,
    { to: 'cancelled', ...(reason !== undefined && { reason }) },
    expectedVersion,
  );
export const closeWorkOrder = (executor: Executor, id: string, at?: string, expectedVersion?: number) =>
  transitionWorkOrder(executor, id, { to: 'closed', ...(at !== undefined && { at }) }, expectedVersion);

import type { UnitOfWork } from '../../platform/outbox/index.js';
import type { Updateable } from 'kysely';
import { nowIso } from '../../shared/clock.js';
import { hydrate } from './repository.js';
import type { WorkOrder } from './schemas.js';
import { buildServiceReport } from './service-report.js';
import type { WorkOrdersTable } from './tables.js';

export const WorkOrderEvents = {
  created: 'work_order.created',
  updated: 'work_order.updated',
  scheduled: 'work_order.scheduled',
  started: 'work_order.started',
  completed: 'work_order.completed',
  closed: 'work_order.closed',
  cancelled: 'work_order.cancelled',
  corrected: 'work_order.corrected',
  partUsed: 'work_order.part.used',
  partRemoved: 'work_order.part.removed',
  laborRecorded: 'work_order.labor.recorded',
  laborRemoved: 'work_order.labor.removed',
  checklistAnswered: 'work_order.checklist.answered',
  signed: 'work_order.signed',
  /** Maintenance cost per cost center changed (completion, correction): cost-booking.ts. */
  costed: 'work_order.costed',
} as const;
export type WorkOrderEventType = (typeof WorkOrderEvents)[keyof typeof WorkOrderEvents];

export const ChecklistTemplateEvents = {
  created: 'checklist_template.created',
  updated: 'checklist_template.updated',
  archived: 'checklist_template.archived',
} as const;

export const workOrderSubject = (id: string) => `work_order/${id}`;

export interface CommitOptions {
  /** Columns to set with the version bump. */
  columns?: Updateable<WorkOrdersTable>;
  /** Labor, parts or answers changed: a signature over an earlier report no longer applies. */
  executedContentChanged?: boolean;
}

/**
 * Every work-order write ends here: bump the version, re-read the whole work order and announce it.
 * Event data is the full record (consumers need state, not deltas) plus what changed.
 */
export async function commitChange(
  uow: UnitOfWork,
  id: string,
  type: WorkOrderEventType,
  changedFields: string[],
  extra: Record<string, unknown> = {},
  options: CommitOptions = {},
): Promise<WorkOrder> {
  const row = await uow.tx
    .updateTable('work_orders')
    .set((eb) => ({ ...options.columns, version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  let [workOrder] = (await hydrate(uow.tx, [row])) as [WorkOrder];
  let signatureInvalidated = false;
  if (options.executedContentChanged && workOrder.signature && workOrder.status === 'in_progress') {
    signatureInvalidated = await invalidateStaleSignature(uow, workOrder);
    if (signatureInvalidated) workOrder = { ...workOrder, signature: null };
  }
  const data = {
    workOrder,
    changedFields,
    ...extra,
    ...(options.executedContentChanged && { signatureInvalidated }),
  };
  await uow.emit({ type, subject: workOrderSubject(id), data });
  return workOrder;
}

/**
 * A signature vouches for one report. When labor, parts or answers change before completion so that the
 * report hash differs, the signature is kept (for the record) but marked invalidated: the customer must
 * sign the new report. A change that leaves the report identical leaves the signature alone.
 */
async function invalidateStaleSignature(uow: UnitOfWork, workOrder: WorkOrder): Promise<boolean> {
  const hash = buildServiceReport(workOrder).hash;
  const result = await uow.tx
    .updateTable('work_order_signatures')
    .set({ invalidated_at: nowIso() })
    .where('work_order_id', '=', workOrder.id)
    .where('invalidated_at', 'is', null)
    .where('report_hash', '!=', hash)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

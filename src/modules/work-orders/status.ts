import { errors } from '../../shared/errors/index.js';

export const workOrderStatuses = [
  'draft',
  'scheduled',
  'in_progress',
  'completed',
  'closed',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];

/**
 * The whole lifecycle as data. A work order moves forward only; `completed` is reached through
 * completeWorkOrder (which runs the completion checks) and afterwards changes only by correction.
 * Cancelling an in-progress work order is refused while parts are still on it (see cancel rules in
 * docs/modules/work-orders.md): remove them first so the stock comes back through a return.
 */
export const allowedTransitions: Readonly<Record<WorkOrderStatus, readonly WorkOrderStatus[]>> = {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: ['closed'],
  closed: [],
  cancelled: [],
};

export function isWorkOrderStatus(value: string): value is WorkOrderStatus {
  return (workOrderStatuses as readonly string[]).includes(value);
}

export function canTransition(from: WorkOrderStatus, to: WorkOrderStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/** 409 naming where the work order may go from here, so a client can offer only those actions. */
export function assertTransition(id: string, from: WorkOrderStatus, to: WorkOrderStatus): void {
  if (canTransition(from, to)) return;
  const allowed = allowedTransitions[from];
  throw errors.conflict(
    `work order ${id} cannot go from ${from} to ${to}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
    { status: from, requestedStatus: to, allowedTransitions: [...allowed] },
  );
}

/** Labor, parts, answers and signatures are recorded only while the work is being done. */
export function assertExecuting(id: string, status: WorkOrderStatus): void {
  if (status === 'in_progress') return;
  const hint =
    status === 'completed' || status === 'closed'
      ? '; use a correction to change a completed work order'
      : '';
  throw errors.conflict(`work order ${id} is ${status}, not in_progress${hint}`, {
    status,
    allowedTransitions: [...allowedTransitions[status]],
  });
}

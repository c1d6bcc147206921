import type { UnitOfWork } from '../../platform/outbox/index.js';
import { assertVersion } from '../../shared/versioning.js';
import type { WorkOrderRow } from './repository.js';
import { lockWorkOrder } from './repository.js';
import type { WorkOrderStatus } from './status.js';
import { assertExecuting } from './status.js';

/** Locks a work order that is being executed (in_progress), checking If-Match on the way. */
export async function lockExecuting(
  uow: UnitOfWork,
  id: string,
  expectedVersion: number | undefined,
): Promise<WorkOrderRow> {
  const row = await lockWorkOrder(uow, id);
  assertVersion('work order', id, Number(row.version), expectedVersion);
  assertExecuting(id, row.status as WorkOrderStatus);
  return row;
}

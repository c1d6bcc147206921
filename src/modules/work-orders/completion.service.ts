import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import { assertVersion } from '../../shared/versioning.js';
import { missingRequired } from './checklist-answers.js';
import { bookWorkOrderCosts } from './cost-booking.js';
import { commitChange, WorkOrderEvents } from './events.js';
import { assertNotBefore, assertNotFuture } from './time-rules.js';
import { parseInput } from '../../shared/parse-input.js';
import type { WarehouseRef } from '../stock/index.js';
import { getWarehouse, warehouseRef } from '../stock/index.js';
import type { WorkOrderRow } from './repository.js';
import { loadWorkOrder, lockWorkOrder } from './repository.js';
import type { CompleteInput } from './execution-schemas.js';
import { completeInputSchema } from './execution-schemas.js';
import type { WorkOrder } from './schemas.js';
import { buildServiceReport } from './service-report.js';
import type { WorkOrderStatus } from './status.js';
import { assertTransition } from './status.js';
import { getTypePolicy } from './type-policy.service.js';

export interface CompletionGaps {
  missingAnswers: string[];
  signatureMissing: boolean;
  signatureStale: boolean;
  laborMissing: boolean;
}

/**
 * What still stands between a work order and completion, per its type policy: required checklist
 * answers, at least one labor entry (when the type requires labor), and a signature over the current
 * report (when the type requires one).
 */
export async function completionGaps(uow: UnitOfWork | Executor, wo: WorkOrder): Promise<CompletionGaps> {
  const policy = await getTypePolicy(uow, wo.type);
  const answered = new Set(wo.answers.map((a) => a.key));
  const hash = buildServiceReport(wo).hash;
  return {
    missingAnswers: missingRequired(wo.checklist?.items ?? [], answered),
    signatureMissing: policy.signatureRequired && wo.signature === null,
    signatureStale: policy.signatureRequired && wo.signature !== null && wo.signature.reportHash !== hash,
    laborMissing: policy.laborRequired && wo.labor.length === 0,
  };
}

export function gapIssues(gaps: CompletionGaps): FieldIssue[] {
  const issues: FieldIssue[] = gaps.missingAnswers.map((key) => ({
    path: ['checklist', key],
    message: `required answer ${key} is missing`,
  }));
  if (gaps.laborMissing) issues.push({ path: ['labor'], message: 'at least one labor entry is required' });
  if (gaps.signatureMissing)
    issues.push({
      path: ['signature'],
      message: 'a customer signature is required for this work-order type',
    });
  if (gaps.signatureStale)
    issues.push({
      path: ['signature'],
      message: 'the signature is for an earlier version of the report; sign again',
    });
  return issues;
}

/**
 * The warehouses the parts came from, as stock events name them: an ERP knows a van by its own location
 * (`erpLocationRef`), part lines hold only the warehouse id.
 */
async function partWarehouses(uow: UnitOfWork, wo: WorkOrder): Promise<WarehouseRef[]> {
  const refs: WarehouseRef[] = [];
  for (const id of new Set(wo.parts.map((p) => p.warehouseId)))
    refs.push(warehouseRef(await getWarehouse(uow.tx, id)));
  return refs;
}

/** Completion inside an already-locked transaction (also reached through transitionWorkOrder). */
export async function completeLocked(
  uow: UnitOfWork,
  row: WorkOrderRow,
  at: string | undefined,
): Promise<WorkOrder> {
  assertTransition(row.id, row.status as WorkOrderStatus, 'completed');
  const completedAt = new Date(at ?? nowIso()).toISOString();
  assertNotBefore(completedAt, row.started_at, 'completedAt', 'startedAt');
  assertNotFuture(completedAt, 'completedAt');
  const wo = await loadWorkOrder(uow.tx, row.id);
  const gaps = await completionGaps(uow, wo);
  const issues = gapIssues(gaps);
  if (issues.length > 0) {
    throw errors.unprocessable(
      `work order ${row.id} cannot be completed: ${issues.map((i) => i.message).join('; ')}`,
      { ...gaps },
      issues,
    );
  }
  const reportHash = buildServiceReport(wo).hash;
  const completed = await commitChange(
    uow,
    row.id,
    WorkOrderEvents.completed,
    ['status', 'completedAt', 'reportHash'],
    { reportHash, warehouses: await partWarehouses(uow, wo) },
    {
      columns: {
        status: 'completed',
        completed_at: completedAt,
        report_hash: reportHash,
      },
    },
  );
  await bookWorkOrderCosts(uow, completed);
  return completed;
}

/**
 * Completes a work order after its checks pass. The completed event carries the whole work order (labor,
 * parts, answers, signature, report hash): billing and the ERP flows work from it alone.
 */
export async function completeWorkOrder(
  executor: Executor,
  id: string,
  raw: CompleteInput = {},
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(completeInputSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockWorkOrder(uow, id);
    assertVersion('work order', id, Number(row.version), expectedVersion);
    return completeLocked(uow, row, input.completedAt);
  });
}

import type { Updateable } from 'kysely';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import { applyAnswers } from './checklist.service.js';
import { completionGaps } from './completion.service.js';
import { bookWorkOrderCosts } from './cost-booking.js';
import { commitChange, WorkOrderEvents } from './events.js';
import type { CorrectionInput } from './execution-schemas.js';
import { correctionInputSchema } from './execution-schemas.js';
import { deleteLaborLine, insertLaborLine } from './labor.service.js';
import { parseInput } from '../../shared/parse-input.js';
import { deletePartLine, insertPartLine } from './parts.service.js';
import { loadWorkOrder, lockWorkOrder } from './repository.js';
import type { WorkOrder } from './schemas.js';
import { buildServiceReport } from './service-report.js';
import { allowedTransitions } from './status.js';
import type { WorkOrderStatus } from './status.js';
import type { WorkOrdersTable } from './tables.js';
import { assertNotBefore, assertNotFuture } from './time-rules.js';

export interface WorkOrderRevision {
  id: string;
  workOrderId: string;
  revision: number;
  reason: string;
  changes: unknown;
  before: WorkOrder;
  beforeReportHash: string | null;
  afterReportHash: string;
  createdAt: string;
}

/**
 * The only way to change a completed (or closed) work order. The whole prior work order is kept as a
 * revision row, the changes are applied with the same rules as during execution (parts post stock issues
 * and returns in this transaction), completion rules are re-checked (except the signature, which signed
 * the earlier revision and stays on record), and `work_order.corrected` carries the new state so billing
 * can re-price its drafts.
 */
export async function correctWorkOrder(
  executor: Executor,
  id: string,
  raw: CorrectionInput,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const input = parseInput(correctionInputSchema, raw);
  const changes = input.changes;
  return inTransaction(executor, async (uow) => {
    const row = await lockWorkOrder(uow, id);
    assertVersion('work order', id, Number(row.version), expectedVersion);
    const status = row.status as WorkOrderStatus;
    if (status !== 'completed' && status !== 'closed') {
      throw errors.conflict(
        `work order ${id} is ${status}; only completed or closed work orders are corrected (edit it directly instead)`,
        {
          status,
          allowedTransitions: [...allowedTransitions[status]],
        },
      );
    }
    const before = await loadWorkOrder(uow.tx, id);
    const changed = new Set<string>();
    const columns: Updateable<WorkOrdersTable> = { revision: Number(row.revision) + 1 };
    if (changes.title !== undefined) {
      columns.title = changes.title;
      changed.add('title');
    }
    if (changes.description !== undefined) {
      columns.description = changes.description;
      changed.add('description');
    }
    if (changes.completedAt !== undefined) {
      const completedAt = new Date(changes.completedAt).toISOString();
      assertNotBefore(completedAt, row.started_at, 'changes.completedAt', 'startedAt');
      assertNotFuture(completedAt, 'changes.completedAt');
      columns.completed_at = completedAt;
      changed.add('completedAt');
    }
    for (const laborId of changes.laborRemove ?? []) {
      await deleteLaborLine(uow, id, laborId);
      changed.add('labor');
    }
    for (const [index, labor] of (changes.laborAdd ?? []).entries()) {
      await insertLaborLine(uow, row, labor, ['changes', 'laborAdd', index]);
      changed.add('labor');
    }
    for (const partId of changes.partsRemove ?? []) {
      await deletePartLine(uow, row, partId);
      changed.add('parts');
    }
    for (const [index, part] of (changes.partsAdd ?? []).entries()) {
      await insertPartLine(uow, row, part, ['changes', 'partsAdd', index]);
      changed.add('parts');
    }
    if (changes.answers !== undefined) {
      await applyAnswers(uow, row, changes.answers);
      changed.add('answers');
    }

    await uow.tx.updateTable('work_orders').set(columns).where('id', '=', id).execute();
    const after = await loadWorkOrder(uow.tx, id);
    const gaps = await completionGaps(uow, after);
    const missing = [
      ...gaps.missingAnswers.map((k) => `checklist.${k}`),
      ...(gaps.laborMissing ? ['labor'] : []),
    ];
    if (missing.length > 0) {
      throw errors.unprocessable(
        `the correction would leave work order ${id} incomplete: ${missing.join(', ')}`,
        {
          missingAnswers: gaps.missingAnswers,
          laborMissing: gaps.laborMissing,
        },
      );
    }
    const afterReportHash = buildServiceReport(after).hash;
    const revision = {
      id: newId(),
      work_order_id: id,
      revision: Number(row.revision) + 1,
      reason: input.reason,
      changes: JSON.stringify(changes),
      before_snapshot: JSON.stringify(before),
      before_report_hash: row.report_hash,
      after_report_hash: afterReportHash,
      created_at: nowIso(),
    };
    await uow.tx.insertInto('work_order_revisions').values(revision).execute();
    const corrected = await commitChange(
      uow,
      id,
      WorkOrderEvents.corrected,
      [...changed, 'revision', 'reportHash'],
      {
        correction: { revisionId: revision.id, revision: revision.revision, reason: input.reason, changes },
        previousReportHash: row.report_hash,
        reportHash: afterReportHash,
      },
      { columns: { report_hash: afterReportHash } },
    );
    await bookWorkOrderCosts(uow, corrected);
    return corrected;
  });
}

/** Every correction of a work order, oldest first, each with the full work order as it was before. */
export async function listWorkOrderRevisions(executor: Executor, id: string): Promise<WorkOrderRevision[]> {
  const db = queryable(executor);
  await loadWorkOrder(db, id);
  const rows = await db
    .selectFrom('work_order_revisions')
    .selectAll()
    .where('work_order_id', '=', id)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workOrderId: r.work_order_id,
    revision: Number(r.revision),
    reason: r.reason,
    changes: JSON.parse(r.changes) as unknown,
    before: JSON.parse(r.before_snapshot) as WorkOrder,
    beforeReportHash: r.before_report_hash,
    afterReportHash: r.after_report_hash,
    createdAt: r.created_at,
  }));
}

import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors, isAppError } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { getAsset } from '../assets/index.js';
import type { WorkOrderPriority, WorkOrderType } from '../work-orders/index.js';
import { createWorkOrder } from '../work-orders/index.js';
import { addDays, toDateString } from './calendar.js';
import { ContractCalendar } from './coverage.js';
import type { Skipped, Window } from './due-items.js';
import { dueItems } from './due-items.js';
import { parseInput } from './parse-input.js';
import { MaintenancePlanEvents, planSubject } from './plan.service.js';
import type { PlanRow } from './repository.js';
import { planFromRow } from './repository.js';
import type { GenerateInput, GenerateResult, Occurrence } from './schemas.js';
import { generateInputSchema } from './schemas.js';

/**
 * Claims each due key first (INSERT … ON CONFLICT DO NOTHING on UNIQUE (plan_id, due_key)), then creates
 * the work order in the same transaction. A concurrent run on PostgreSQL waits on the claimed key and
 * then skips it, so running generation twice, or twice at once, never duplicates a work order.
 */
async function generateForPlan(
  uow: UnitOfWork,
  plan: PlanRow,
  window: Window,
  skipped: Skipped[],
): Promise<{ created: Occurrence[]; already: number }> {
  const items = await dueItems(uow, plan, window, skipped);
  const contracts = plan.contract_id ? new ContractCalendar(uow, plan.contract_id) : null;
  const created: Occurrence[] = [];
  let already = 0;
  for (const item of items) {
    const asset = await getAsset(uow, item.assetId);
    if (contracts) {
      const version = await contracts.inForce(item.dueDate);
      if (!version || version.customerId !== asset.customerId) {
        skipped.push({
          planId: plan.id,
          assetId: item.assetId,
          dueKey: item.dueKey,
          reason: version
            ? 'asset now belongs to another customer than the contract'
            : `contract not in force on ${item.dueDate}`,
        });
        continue;
      }
    }
    const claim = await uow.tx
      .insertInto('maintenance_plan_occurrences')
      .values({
        id: newId(),
        plan_id: plan.id,
        due_key: item.dueKey,
        due_date: item.dueDate,
        asset_id: item.assetId,
        work_order_id: null,
        created_at: nowIso(),
      })
      .onConflict((oc) => oc.columns(['plan_id', 'due_key']).doNothing())
      .executeTakeFirst();
    if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) {
      already += 1;
      continue;
    }
    const workOrder = await createWorkOrder(uow, {
      type: plan.wo_type as WorkOrderType,
      priority: plan.wo_priority as WorkOrderPriority,
      title: plan.wo_title ?? plan.name,
      ...(plan.wo_description !== null && { description: plan.wo_description }),
      customerId: asset.customerId,
      assetIds: [asset.id],
      ...(plan.contract_id !== null && { contractId: plan.contract_id }),
      // SLA clocks of preventive work start on the day it is due, not on the day it was generated.
      reportedAt: `${item.dueDate}T00:00:00.000Z`,
      ...(plan.checklist_template_id !== null && { checklistTemplateId: plan.checklist_template_id }),
      planId: plan.id,
      planDueKey: item.dueKey,
      dueDate: item.dueDate,
    });
    await uow.tx
      .updateTable('maintenance_plan_occurrences')
      .set({ work_order_id: workOrder.id })
      .where('plan_id', '=', plan.id)
      .where('due_key', '=', item.dueKey)
      .execute();
    created.push({
      planId: plan.id,
      dueKey: item.dueKey,
      dueDate: item.dueDate,
      assetId: item.assetId,
      workOrderId: workOrder.id,
      workOrderNumber: workOrder.number,
    });
  }
  if (created.length > 0) {
    const now = nowIso();
    await uow.tx
      .updateTable('maintenance_plans')
      .set({ last_generated_at: now })
      .where('id', '=', plan.id)
      .execute();
    await uow.emit({
      type: MaintenancePlanEvents.generated,
      subject: planSubject(plan.id),
      data: {
        plan: planFromRow({ ...plan, last_generated_at: now }),
        asOf: window.asOf,
        until: window.until,
        created,
      },
    });
  }
  return { created, already };
}

function isUnitOfWork(executor: Executor): executor is UnitOfWork {
  return 'emit' in executor && 'tx' in executor;
}

async function plansToRun(
  executor: Executor,
  planIds: string[] | undefined,
  skipped: Skipped[],
): Promise<PlanRow[]> {
  const db = queryable(executor);
  if (planIds) {
    const rows = await db
      .selectFrom('maintenance_plans')
      .selectAll()
      .where('id', 'in', planIds)
      .orderBy('id')
      .execute();
    const found = new Set(rows.map((r) => r.id));
    const missing = planIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw errors.unprocessable(
        `unknown maintenance plans: ${missing.join(', ')}`,
        { missingPlanIds: missing },
        [{ path: ['planIds'], message: 'unknown plan ids' }],
      );
    }
    for (const row of rows)
      if (row.status !== 'active')
        skipped.push({ planId: row.id, assetId: null, dueKey: null, reason: `plan is ${row.status}` });
    return rows.filter((r) => r.status === 'active');
  }
  const out: PlanRow[] = [];
  let afterId = '';
  for (;;) {
    const page = await db
      .selectFrom('maintenance_plans')
      .selectAll()
      .where('status', '=', 'active')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(500)
      .execute();
    out.push(...page);
    const last = page[page.length - 1];
    if (!last || page.length < 500) return out;
    afterId = last.id;
  }
}

/**
 * Creates the preventive work orders due up to asOf + horizonDays for every active plan (or the named
 * ones). With a database each plan runs in its own transaction: a plan that fails (say, its checklist
 * template was archived) is reported under `skipped` and the others still run. Inside a caller's unit of
 * work everything is one transaction and the first failure aborts it.
 */
export async function generate(executor: Executor, raw: GenerateInput): Promise<GenerateResult> {
  const input = parseInput(generateInputSchema, raw);
  const asOf = input.asOf ?? toDateString(new Date());
  const window = { asOf, until: addDays(asOf, input.horizonDays) };
  const skipped: Skipped[] = [];
  const plans = await plansToRun(executor, input.planIds, skipped);
  const created: Occurrence[] = [];
  let alreadyGenerated = 0;
  for (const plan of plans) {
    const planSkipped: Skipped[] = [];
    try {
      const result = isUnitOfWork(executor)
        ? await generateForPlan(executor, plan, window, planSkipped)
        : await inTransaction(executor, (uow) => generateForPlan(uow, plan, window, planSkipped));
      created.push(...result.created);
      alreadyGenerated += result.already;
      skipped.push(...planSkipped);
    } catch (error) {
      if (isUnitOfWork(executor) || !isAppError(error)) throw error;
      skipped.push({ planId: plan.id, assetId: null, dueKey: null, reason: error.message });
    }
  }
  return { asOf, until: window.until, plans: plans.length, created, alreadyGenerated, skipped };
}

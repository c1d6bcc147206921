import type { Updateable } from 'kysely';
import { forUpdate } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { quantityToMilli } from '../../shared/quantity.js';
import { assertVersion } from '../../shared/versioning.js';
import { parseInput } from './parse-input.js';
import { resolveAsset, resolveChecklistTemplate, resolveContract } from './references.js';
import type { PlanRow } from './repository.js';
import { planFromRow } from './repository.js';
import type { MaintenancePlan, Occurrence, PlanCreate, PlanListFilter, PlanPatch } from './schemas.js';
import { planCreateSchema, planPatchSchema } from './schemas.js';
import type { MaintenancePlansTable } from './tables.js';

export const MaintenancePlanEvents = {
  created: 'maintenance_plan.created',
  updated: 'maintenance_plan.updated',
  archived: 'maintenance_plan.archived',
  generated: 'maintenance_plan.generated',
} as const;

export const planSubject = (id: string) => `maintenance_plan/${id}`;

type Trigger = NonNullable<ReturnType<typeof planCreateSchema.parse>['trigger']>;

function triggerColumns(trigger: Trigger) {
  return trigger.kind === 'calendar'
    ? {
        trigger_kind: 'calendar',
        interval_count: trigger.every,
        interval_unit: trigger.unit,
        meter_interval_milli: null,
        meter_start_milli: null,
      }
    : {
        trigger_kind: 'meter',
        interval_count: null,
        interval_unit: null,
        meter_interval_milli: quantityToMilli(trigger.everyHours),
        meter_start_milli: trigger.startHours === undefined ? null : quantityToMilli(trigger.startHours),
      };
}

export async function createPlan(executor: Executor, raw: PlanCreate): Promise<MaintenancePlan> {
  const input = parseInput(planCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    let customerId: string;
    if (input.scope === 'asset') {
      const asset = await resolveAsset(uow, input.assetId ?? '');
      customerId = asset.customerId;
      if (input.contractId) await resolveContract(uow, input.contractId, customerId);
    } else {
      customerId = (await resolveContract(uow, input.contractId ?? '')).customerId;
    }
    if (input.workOrder.checklistTemplateId)
      await resolveChecklistTemplate(uow, input.workOrder.checklistTemplateId);
    const now = nowIso();
    const row = {
      id: newId(),
      name: input.name,
      scope: input.scope,
      asset_id: input.assetId ?? null,
      contract_id: input.contractId ?? null,
      customer_id: customerId,
      ...triggerColumns(input.trigger),
      start_date: input.startDate,
      end_date: input.endDate ?? null,
      wo_type: input.workOrder.type,
      wo_priority: input.workOrder.priority,
      wo_title: input.workOrder.title ?? null,
      wo_description: input.workOrder.description ?? null,
      checklist_template_id: input.workOrder.checklistTemplateId ?? null,
      status: 'active',
      last_generated_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await uow.tx.insertInto('maintenance_plans').values(row).execute();
    const plan = planFromRow(row);
    await uow.emit({ type: MaintenancePlanEvents.created, subject: planSubject(plan.id), data: { plan } });
    return plan;
  });
}

export async function getPlan(executor: Executor, id: string): Promise<MaintenancePlan> {
  const row = await queryable(executor)
    .selectFrom('maintenance_plans')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('maintenance plan', id);
  return planFromRow(row);
}

export async function listPlans(
  executor: Executor,
  filter: PlanListFilter,
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: MaintenancePlan[]; nextAfterId: string | null }> {
  let query = queryable(executor)
    .selectFrom('maintenance_plans')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.assetId) query = query.where('asset_id', '=', filter.assetId);
  if (filter.contractId) query = query.where('contract_id', '=', filter.contractId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  const rows = await query.execute();
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(planFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

async function lockPlan(uow: UnitOfWork, id: string, expectedVersion: number | undefined): Promise<PlanRow> {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('maintenance_plans').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('maintenance plan', id);
  assertVersion('maintenance plan', id, Number(row.version), expectedVersion);
  return row;
}

/**
 * Changes apply to occurrences generated from now on; work orders already generated stay as they are
 * (they are ordinary work orders with a planId).
 */
export async function updatePlan(
  executor: Executor,
  id: string,
  raw: PlanPatch,
  expectedVersion?: number,
): Promise<MaintenancePlan> {
  const patch = parseInput(planPatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockPlan(uow, id, expectedVersion);
    if (row.status === 'archived')
      throw errors.conflict(`maintenance plan ${id} is archived`, { status: row.status });
    const startDate = patch.startDate ?? row.start_date;
    const endDate = patch.endDate === undefined ? row.end_date : patch.endDate;
    if (endDate !== null && endDate < startDate) {
      throw errors.validation('endDate must not be before startDate', [
        { path: ['endDate'], message: `must not be before startDate ${startDate}` },
      ]);
    }
    if (patch.workOrder?.checklistTemplateId)
      await resolveChecklistTemplate(uow, patch.workOrder.checklistTemplateId);
    const next: Updateable<MaintenancePlansTable> = {};
    const changed: string[] = [];
    const set = (field: string, values: Updateable<MaintenancePlansTable>) => {
      const differs = Object.entries(values).some(
        ([column, value]) => (row as Record<string, unknown>)[column] !== value,
      );
      if (!differs) return;
      Object.assign(next, values);
      changed.push(field);
    };
    if (patch.name !== undefined) set('name', { name: patch.name });
    if (patch.trigger !== undefined) set('trigger', triggerColumns(patch.trigger));
    if (patch.startDate !== undefined) set('startDate', { start_date: patch.startDate });
    if (patch.endDate !== undefined) set('endDate', { end_date: patch.endDate });
    if (patch.status !== undefined) set('status', { status: patch.status });
    const wo = patch.workOrder;
    if (wo?.type !== undefined) set('workOrder.type', { wo_type: wo.type });
    if (wo?.priority !== undefined) set('workOrder.priority', { wo_priority: wo.priority });
    if (wo?.title !== undefined) set('workOrder.title', { wo_title: wo.title });
    if (wo?.description !== undefined) set('workOrder.description', { wo_description: wo.description });
    if (wo?.checklistTemplateId !== undefined)
      set('workOrder.checklistTemplateId', { checklist_template_id: wo.checklistTemplateId });
    if (changed.length === 0) return planFromRow(row);
    await uow.tx
      .updateTable('maintenance_plans')
      .set({ ...next, version: Number(row.version) + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const plan = await getPlan(uow, id);
    await uow.emit({
      type: MaintenancePlanEvents.updated,
      subject: planSubject(id),
      data: { plan, changedFields: changed },
    });
    return plan;
  });
}

export async function archivePlan(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<MaintenancePlan> {
  return inTransaction(executor, async (uow) => {
    const row = await lockPlan(uow, id, expectedVersion);
    if (row.status === 'archived') return planFromRow(row);
    await uow.tx
      .updateTable('maintenance_plans')
      .set({ status: 'archived', version: Number(row.version) + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const plan = await getPlan(uow, id);
    await uow.emit({
      type: MaintenancePlanEvents.archived,
      subject: planSubject(id),
      data: { plan, changedFields: ['status'] },
    });
    return plan;
  });
}

/** Occurrences that produced work orders, by due date. */
export async function listOccurrences(executor: Executor, planId: string): Promise<Occurrence[]> {
  const db = queryable(executor);
  await getPlan(db, planId);
  const rows = await db
    .selectFrom('maintenance_plan_occurrences')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('due_date')
    .orderBy('due_key')
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    planId: r.plan_id,
    dueKey: r.due_key,
    dueDate: r.due_date,
    assetId: r.asset_id,
    workOrderId: r.work_order_id,
    workOrderNumber: null,
  }));
}

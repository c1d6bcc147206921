import type { Updateable } from 'kysely';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import { defaultChecklistTemplate, getChecklistTemplate } from './checklist-template.service.js';
import { resolveContractTerms } from './contract-terms.js';
import { commitChange, WorkOrderEvents, workOrderSubject } from './events.js';
import { resolveAssets, resolvePlace } from './lookups.js';
import { nextWorkOrderNumber } from './numbering.js';
import { parseInput } from '../../shared/parse-input.js';
import { orNull, unresolved } from './references.js';
import { hydrate, listWorkOrderRows, loadWorkOrder, lockWorkOrder } from './repository.js';
import type { WorkOrder, WorkOrderCreate, WorkOrderListFilter, WorkOrderPatch } from './schemas.js';
import { workOrderCreateSchema, workOrderPatchSchema } from './schemas.js';
import { slaDueTimes } from './sla.js';
import type { WorkOrderStatus } from './status.js';
import type { WorkOrdersTable } from './tables.js';
import type { WorkOrderPriority, WorkOrderType } from './work-order-types.js';

interface ChecklistAssignment {
  checklist_template_id: string | null;
  checklist_template_version: number | null;
  checklist: string;
}

const noChecklist: ChecklistAssignment = {
  checklist_template_id: null,
  checklist_template_version: null,
  checklist: '[]',
};

/** Explicit template id, `null` for none, or (undefined) the type's default template if there is one. */
async function checklistFor(
  uow: UnitOfWork,
  type: WorkOrderType,
  templateId: string | null | undefined,
): Promise<ChecklistAssignment> {
  if (templateId === null) return noChecklist;
  const template =
    templateId === undefined
      ? await defaultChecklistTemplate(uow, type)
      : await orNull(() => getChecklistTemplate(uow, templateId));
  if (templateId !== undefined && !template) {
    throw unresolved(['checklistTemplateId'], `checklist template ${templateId} does not exist`, {
      checklistTemplateId: templateId,
    });
  }
  if (!template) return noChecklist;
  if (template.status === 'archived') {
    throw unresolved(['checklistTemplateId'], `checklist template ${template.id} is archived`, {
      checklistTemplateId: template.id,
    });
  }
  return {
    checklist_template_id: template.id,
    checklist_template_version: template.version,
    checklist: JSON.stringify(template.items),
  };
}

/** SLA columns from the contract version in force on the day the request was reported. */
async function slaColumns(
  uow: UnitOfWork,
  contractId: string | null,
  customerId: string,
  reportedAt: string,
  type: WorkOrderType,
  priority: WorkOrderPriority,
) {
  if (contractId === null) {
    return {
      contract_version_id: null,
      response_hours: null,
      resolution_hours: null,
      response_due_at: null,
      resolution_due_at: null,
    };
  }
  const terms = await resolveContractTerms(uow, {
    contractId,
    customerId,
    onDate: reportedAt.slice(0, 10),
    type,
    priority,
  });
  const due = slaDueTimes(reportedAt, terms.sla);
  return {
    contract_version_id: terms.versionId,
    response_hours: due.responseHours,
    resolution_hours: due.resolutionHours,
    response_due_at: due.responseDueAt,
    resolution_due_at: due.resolutionDueAt,
  };
}

export async function createWorkOrder(executor: Executor, raw: WorkOrderCreate): Promise<WorkOrder> {
  const input = parseInput(workOrderCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    const place = await resolvePlace(uow, input.customerId, input.siteId);
    const assets = await resolveAssets(uow, input.assetIds, input.customerId);
    // Without an explicit site the work happens where the primary asset stands.
    const site =
      place.site ?? (assets[0] ? (await resolvePlace(uow, input.customerId, assets[0].siteId)).site : null);
    const reportedAt = new Date(input.reportedAt ?? nowIso()).toISOString();
    const now = nowIso();
    const id = newId();
    const row = {
      id,
      number: await nextWorkOrderNumber(uow),
      type: input.type,
      status: 'draft' satisfies WorkOrderStatus,
      priority: input.priority,
      title: input.title,
      description: input.description ?? null,
      customer_id: place.customer.id,
      customer_name: place.customer.name,
      site_id: site?.id ?? null,
      site_label: site?.label ?? null,
      region: site?.region ?? null,
      contract_id: input.contractId ?? null,
      plan_id: input.planId ?? null,
      plan_due_key: input.planDueKey ?? null,
      due_date: input.dueDate ?? null,
      reported_at: reportedAt,
      ...(await slaColumns(
        uow,
        input.contractId ?? null,
        place.customer.id,
        reportedAt,
        input.type,
        input.priority,
      )),
      planned_start: null,
      planned_end: null,
      technician_id: null,
      technician_name: null,
      ...(await checklistFor(uow, input.type, input.checklistTemplateId)),
      started_at: null,
      completed_at: null,
      closed_at: null,
      cancelled_at: null,
      cancel_reason: null,
      report_hash: null,
      revision: 0,
      external_refs: JSON.stringify(input.externalRefs ?? {}),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await uow.tx.insertInto('work_orders').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw errors.conflict(
          `plan ${input.planId ?? ''} already has a work order for ${input.planDueKey ?? ''}`,
          {
            planId: input.planId,
            planDueKey: input.planDueKey,
          },
        );
      }
      throw error;
    }
    if (assets.length > 0) {
      await uow.tx
        .insertInto('work_order_assets')
        .values(
          assets.map((a, position) => ({ work_order_id: id, asset_id: a.assetId, position, label: a.label })),
        )
        .execute();
    }
    const workOrder = await loadWorkOrder(uow.tx, id);
    await uow.emit({ type: WorkOrderEvents.created, subject: workOrderSubject(id), data: { workOrder } });
    return workOrder;
  });
}

export function getWorkOrder(executor: Executor, id: string): Promise<WorkOrder> {
  return loadWorkOrder(queryable(executor), id);
}

export async function listWorkOrders(
  executor: Executor,
  filter: WorkOrderListFilter,
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: WorkOrder[]; nextAfterId: string | null }> {
  const db = queryable(executor);
  const rows = await listWorkOrderRows(db, filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: await hydrate(db, pageRows),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

const beforeStart: readonly string[] = ['draft', 'scheduled'];

/**
 * Header edits. Title, description, priority and checklist change only before work starts (afterwards
 * they are part of what gets signed, and after completion only a correction may change them);
 * externalRefs is sync bookkeeping and may change at any time.
 */
export async function updateWorkOrder(
  executor: Executor,
  id: string,
  raw: WorkOrderPatch,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const patch = parseInput(workOrderPatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockWorkOrder(uow, id);
    assertVersion('work order', id, Number(row.version), expectedVersion);
    const changed: string[] = [];
    const next: Updateable<WorkOrdersTable> = {};
    const content = {
      title: patch.title,
      description: patch.description,
      priority: patch.priority,
      checklistTemplateId: patch.checklistTemplateId,
    };
    const touchesContent = Object.values(content).some((v) => v !== undefined);
    if (touchesContent && !beforeStart.includes(row.status)) {
      throw errors.conflict(
        `work order ${id} is ${row.status}; title, description, priority and checklist change only before it starts`,
        {
          status: row.status,
        },
      );
    }
    if (patch.title !== undefined && patch.title !== row.title) {
      next.title = patch.title;
      changed.push('title');
    }
    if (patch.description !== undefined && patch.description !== row.description) {
      next.description = patch.description;
      changed.push('description');
    }
    if (patch.priority !== undefined && patch.priority !== row.priority) {
      next.priority = patch.priority;
      Object.assign(
        next,
        await slaColumns(
          uow,
          row.contract_id,
          row.customer_id,
          row.reported_at,
          row.type as WorkOrderType,
          patch.priority,
        ),
      );
      changed.push('priority', 'sla');
    }
    if (patch.checklistTemplateId !== undefined && patch.checklistTemplateId !== row.checklist_template_id) {
      Object.assign(next, await checklistFor(uow, row.type as WorkOrderType, patch.checklistTemplateId));
      changed.push('checklist');
    }
    if (patch.externalRefs !== undefined) {
      const merged = JSON.stringify({
        ...(JSON.parse(row.external_refs) as Record<string, string>),
        ...patch.externalRefs,
      });
      if (merged !== row.external_refs) {
        next.external_refs = merged;
        changed.push('externalRefs');
      }
    }
    if (changed.length === 0) return loadWorkOrder(uow.tx, id);
    return commitChange(uow, id, WorkOrderEvents.updated, changed, {}, { columns: next });
  });
}

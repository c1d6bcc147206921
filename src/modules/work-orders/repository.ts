import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { milliToQuantity } from '../../shared/quantity.js';
import type { ChecklistItem } from './checklist-schemas.js';
import type {
  Answer,
  LaborLine,
  PartLine,
  SignatureSummary,
  WorkOrder,
  WorkOrderListFilter,
} from './schemas.js';
import type { WorkOrderStatus } from './status.js';
import type {
  WorkOrderAnswersTable,
  WorkOrderLaborTable,
  WorkOrderPartsTable,
  WorkOrderSignaturesTable,
  WorkOrdersTable,
} from './tables.js';
import type { LaborType, WorkOrderPriority, WorkOrderType } from './work-order-types.js';

export type WorkOrderRow = Selectable<WorkOrdersTable>;

export function laborFromRow(row: Selectable<WorkOrderLaborTable>): LaborLine {
  return {
    id: row.id,
    technicianId: row.technician_id,
    technicianName: row.technician_name,
    laborType: row.labor_type as LaborType,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMinutes: Number(row.duration_minutes),
    billable: Number(row.billable) === 1,
    note: row.note,
    createdAt: row.created_at,
  };
}

export function partFromRow(row: Selectable<WorkOrderPartsTable>): PartLine {
  return {
    id: row.id,
    itemId: row.item_id,
    sku: row.sku,
    name: row.name,
    category: row.category,
    unit: row.unit,
    quantity: milliToQuantity(row.quantity_milli),
    serials: JSON.parse(row.serials) as string[],
    warehouseId: row.warehouse_id,
    assetId: row.asset_id,
    stockReference: row.stock_reference,
    createdAt: row.created_at,
  };
}

function answerFromRow(row: Selectable<WorkOrderAnswersTable>): Answer {
  return { key: row.item_key, value: JSON.parse(row.value) as string | number, answeredAt: row.answered_at };
}

function signatureFromRow(row: Selectable<WorkOrderSignaturesTable>): SignatureSummary {
  return {
    id: row.id,
    signerName: row.signer_name,
    signedAt: row.signed_at,
    reportHash: row.report_hash,
    imageSha256: row.image_sha256,
  };
}

interface Lines {
  assets: { assetId: string; label: string }[];
  labor: LaborLine[];
  parts: PartLine[];
  answers: Answer[];
  signature: SignatureSummary | null;
}

export function workOrderFromRow(row: WorkOrderRow, lines: Lines): WorkOrder {
  const checklistItems = JSON.parse(row.checklist) as ChecklistItem[];
  const hasSla = row.response_hours !== null || row.resolution_hours !== null;
  const order = new Map(checklistItems.map((item, index) => [item.key, index]));
  return {
    id: row.id,
    number: row.number,
    type: row.type as WorkOrderType,
    status: row.status as WorkOrderStatus,
    priority: row.priority as WorkOrderPriority,
    title: row.title,
    description: row.description,
    customerId: row.customer_id,
    customerName: row.customer_name,
    siteId: row.site_id,
    siteLabel: row.site_label,
    region: row.region,
    assets: lines.assets,
    contractId: row.contract_id,
    contractVersionId: row.contract_version_id,
    planId: row.plan_id,
    planDueKey: row.plan_due_key,
    dueDate: row.due_date,
    reportedAt: row.reported_at,
    sla: hasSla
      ? {
          responseHours: row.response_hours === null ? null : Number(row.response_hours),
          resolutionHours: row.resolution_hours === null ? null : Number(row.resolution_hours),
          responseDueAt: row.response_due_at,
          resolutionDueAt: row.resolution_due_at,
        }
      : null,
    plannedStart: row.planned_start,
    plannedEnd: row.planned_end,
    technicianId: row.technician_id,
    technicianName: row.technician_name,
    checklist:
      checklistItems.length > 0 || row.checklist_template_id !== null
        ? {
            templateId: row.checklist_template_id,
            templateVersion:
              row.checklist_template_version === null ? null : Number(row.checklist_template_version),
            items: checklistItems,
          }
        : null,
    answers: [...lines.answers].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0)),
    labor: lines.labor,
    parts: lines.parts,
    signature: lines.signature,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    closedAt: row.closed_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
    reportHash: row.report_hash,
    revision: Number(row.revision),
    externalRefs: JSON.parse(row.external_refs) as Record<string, string>,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Loads work orders with all their lines in five queries, whatever the page size. */
export async function hydrate(db: Kysely<Database>, rows: WorkOrderRow[]): Promise<WorkOrder[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // Sequential on purpose: in parallel, one API read would hold five pooled connections at once and
  // starve concurrent writers; inside a transaction they are serialized on one connection anyway.
  const assets = await db
    .selectFrom('work_order_assets')
    .selectAll()
    .where('work_order_id', 'in', ids)
    .orderBy('position')
    .execute();
  const labor = await db
    .selectFrom('work_order_labor')
    .selectAll()
    .where('work_order_id', 'in', ids)
    .orderBy('id')
    .execute();
  const parts = await db
    .selectFrom('work_order_parts')
    .selectAll()
    .where('work_order_id', 'in', ids)
    .orderBy('id')
    .execute();
  const answers = await db
    .selectFrom('work_order_answers')
    .selectAll()
    .where('work_order_id', 'in', ids)
    .execute();
  const signatures = await db
    .selectFrom('work_order_signatures')
    .selectAll()
    .where('work_order_id', 'in', ids)
    .where('invalidated_at', 'is', null)
    .orderBy('created_at')
    .execute();
  const byWo = {
    assets: groupBy(assets, (r) => r.work_order_id),
    labor: groupBy(labor, (r) => r.work_order_id),
    parts: groupBy(parts, (r) => r.work_order_id),
    answers: groupBy(answers, (r) => r.work_order_id),
    signatures: groupBy(signatures, (r) => r.work_order_id),
  };
  return rows.map((row) => {
    const activeSignatures = byWo.signatures.get(row.id) ?? [];
    const latest = activeSignatures[activeSignatures.length - 1];
    return workOrderFromRow(row, {
      assets: (byWo.assets.get(row.id) ?? []).map((a) => ({ assetId: a.asset_id, label: a.label })),
      labor: (byWo.labor.get(row.id) ?? []).map(laborFromRow),
      parts: (byWo.parts.get(row.id) ?? []).map(partFromRow),
      answers: (byWo.answers.get(row.id) ?? []).map(answerFromRow),
      signature: latest ? signatureFromRow(latest) : null,
    });
  });
}

export async function loadWorkOrder(db: Kysely<Database>, id: string): Promise<WorkOrder> {
  const row = await db.selectFrom('work_orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('work order', id);
  const [workOrder] = await hydrate(db, [row]);
  return workOrder as WorkOrder;
}

/** Reads and row-locks a work order for a check-then-write (PostgreSQL; SQLite holds the write lock). */
export async function lockWorkOrder(uow: UnitOfWork, id: string): Promise<WorkOrderRow> {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('work_orders').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('work order', id);
  return row;
}

export async function listWorkOrderRows(
  db: Kysely<Database>,
  filter: WorkOrderListFilter,
  page: { limit: number; afterId?: string },
): Promise<WorkOrderRow[]> {
  let query = db
    .selectFrom('work_orders')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.technicianId) query = query.where('technician_id', '=', filter.technicianId);
  if (filter.contractId) query = query.where('contract_id', '=', filter.contractId);
  if (filter.planId) query = query.where('plan_id', '=', filter.planId);
  if (filter.updatedSince)
    query = query.where('updated_at', '>=', new Date(filter.updatedSince).toISOString());
  if (filter.assetId) {
    const assetId = filter.assetId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('work_order_assets')
          .select('work_order_assets.asset_id')
          .whereRef('work_order_assets.work_order_id', '=', 'work_orders.id')
          .where('work_order_assets.asset_id', '=', assetId),
      ),
    );
  }
  return query.execute();
}

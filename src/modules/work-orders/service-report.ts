import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { WorkOrder } from './schemas.js';

export const SERVICE_REPORT_SCHEMA = 'fieldsync.service-report/1';

/**
 * The executed content of a work order, which is what a customer signs. It deliberately leaves out
 * status, completion time, version and the signature itself: those change when the report is signed or
 * the work order is completed, and must not change the hash of what was signed.
 */
export interface ServiceReportContent {
  schema: typeof SERVICE_REPORT_SCHEMA;
  workOrder: {
    id: string;
    number: string;
    revision: number;
    type: string;
    priority: string;
    title: string;
    description: string | null;
    reportedAt: string;
    dueDate: string | null;
    startedAt: string | null;
  };
  customer: { id: string; name: string };
  site: { id: string; label: string | null } | null;
  contractId: string | null;
  assets: { id: string; label: string }[];
  technician: { id: string; name: string | null } | null;
  labor: {
    id: string;
    technicianId: string;
    technicianName: string;
    laborType: string;
    startedAt: string | null;
    endedAt: string | null;
    durationMinutes: number;
    billable: boolean;
    note: string | null;
  }[];
  parts: {
    id: string;
    itemId: string;
    sku: string;
    name: string;
    unit: string;
    quantity: string;
    serials: string[];
    warehouseId: string;
    assetId: string | null;
  }[];
  checklist: {
    key: string;
    label: string;
    kind: string;
    required: boolean;
    min: number | null;
    max: number | null;
    unit: string | null;
    value: string | number | null;
  }[];
  totals: { laborMinutes: number; billableMinutes: number; partLines: number };
}

export interface ServiceReport {
  content: ServiceReportContent;
  /** SHA-256 (hex) of the canonical JSON of `content`. */
  hash: string;
}

export function buildServiceReport(wo: WorkOrder): ServiceReport {
  const answers = new Map(wo.answers.map((a) => [a.key, a.value]));
  const content: ServiceReportContent = {
    schema: SERVICE_REPORT_SCHEMA,
    workOrder: {
      id: wo.id,
      number: wo.number,
      revision: wo.revision,
      type: wo.type,
      priority: wo.priority,
      title: wo.title,
      description: wo.description,
      reportedAt: wo.reportedAt,
      dueDate: wo.dueDate,
      startedAt: wo.startedAt,
    },
    customer: { id: wo.customerId, name: wo.customerName },
    site: wo.siteId ? { id: wo.siteId, label: wo.siteLabel } : null,
    contractId: wo.contractId,
    assets: wo.assets.map((a) => ({ id: a.assetId, label: a.label })),
    technician: wo.technicianId ? { id: wo.technicianId, name: wo.technicianName } : null,
    labor: wo.labor.map((l) => ({
      id: l.id,
      technicianId: l.technicianId,
      technicianName: l.technicianName,
      laborType: l.laborType,
      startedAt: l.startedAt,
      endedAt: l.endedAt,
      durationMinutes: l.durationMinutes,
      billable: l.billable,
      note: l.note,
    })),
    parts: wo.parts.map((p) => ({
      id: p.id,
      itemId: p.itemId,
      sku: p.sku,
      name: p.name,
      unit: p.unit,
      quantity: p.quantity,
      serials: p.serials,
      warehouseId: p.warehouseId,
      assetId: p.assetId,
    })),
    checklist: (wo.checklist?.items ?? []).map((item) => ({
      key: item.key,
      label: item.label,
      kind: item.kind,
      required: item.required,
      min: item.min ?? null,
      max: item.max ?? null,
      unit: item.unit ?? null,
      value: answers.get(item.key) ?? null,
    })),
    totals: {
      laborMinutes: wo.labor.reduce((sum, l) => sum + l.durationMinutes, 0),
      billableMinutes: wo.labor.filter((l) => l.billable).reduce((sum, l) => sum + l.durationMinutes, 0),
      partLines: wo.parts.length,
    },
  };
  return { content, hash: sha256Hex(canonicalJson(content)) };
}

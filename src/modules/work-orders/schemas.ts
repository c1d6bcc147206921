import { z } from '@hono/zod-openapi';
import { checklistItemSchema } from './checklist-schemas.js';
import { workOrderStatuses } from './status.js';
import { laborTypes, workOrderPriorities, workOrderTypes } from './work-order-types.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true }).openapi({ example: '2025-03-04T08:00:00Z' });
/** Bounds the planning view's range scan: a window starting earlier than this cannot reach the day. */
export const MAX_PLANNED_WINDOW_DAYS = 14;
const externalRefs = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/), z.string().min(1).max(200));

export const workOrderCreateSchema = z
  .strictObject({
    type: z.enum(workOrderTypes),
    priority: z.enum(workOrderPriorities).default('normal'),
    title: text(200),
    description: text(5000).optional(),
    customerId: id,
    siteId: id.optional(),
    assetIds: z.array(id).max(50).default([]).openapi({ description: 'The first one is the primary asset' }),
    contractId: id.optional(),
    reportedAt: instant
      .optional()
      .openapi({ description: 'When the request came in; SLA clocks start here (default now)' }),
    checklistTemplateId: id
      .nullable()
      .optional()
      .openapi({ description: 'Omit for the type default, null for none' }),
    planId: id.optional(),
    planDueKey: z.string().min(1).max(120).optional(),
    dueDate: z.iso.date().optional(),
    externalRefs: externalRefs.optional(),
  })
  .refine((v) => (v.planId === undefined) === (v.planDueKey === undefined), {
    message: 'planId and planDueKey go together',
    path: ['planDueKey'],
  })
  .openapi('WorkOrderCreate');

export const workOrderPatchSchema = z
  .strictObject({
    title: text(200).optional(),
    description: text(5000).nullable().optional(),
    priority: z.enum(workOrderPriorities).optional(),
    checklistTemplateId: id.nullable().optional(),
    externalRefs: externalRefs.optional(),
  })
  .openapi('WorkOrderPatch');

export const scheduleInputSchema = z
  .strictObject({
    technicianId: id,
    plannedStart: instant,
    plannedEnd: instant,
  })
  .superRefine((v, ctx) => {
    const ms = Date.parse(v.plannedEnd) - Date.parse(v.plannedStart);
    if (ms <= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['plannedEnd'],
        message: 'plannedEnd must be after plannedStart',
      });
    else if (ms > MAX_PLANNED_WINDOW_DAYS * 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedEnd'],
        message: `a planned window spans at most ${MAX_PLANNED_WINDOW_DAYS} days`,
      });
    }
  })
  .openapi('WorkOrderSchedule');

export const transitionInputSchema = z
  .strictObject({
    to: z.enum(workOrderStatuses),
    at: instant
      .optional()
      .openapi({ description: 'When it happened (default now): start, completion or close time' }),
    reason: text(1000).optional().openapi({ description: 'Why (cancellation)' }),
  })
  .openapi('WorkOrderTransition');

export const laborLineSchema = z
  .object({
    id: z.string(),
    technicianId: z.string(),
    technicianName: z.string(),
    laborType: z.enum(laborTypes),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    durationMinutes: z.number().int(),
    billable: z.boolean(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('LaborEntry');

export const partLineSchema = z
  .object({
    id: z.string(),
    itemId: z.string(),
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    unit: z.string(),
    quantity: z.string(),
    serials: z.array(z.string()),
    warehouseId: z.string(),
    assetId: z.string().nullable(),
    stockReference: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('PartLine');

export const answerSchema = z
  .object({ key: z.string(), value: z.union([z.string(), z.number()]), answeredAt: z.string() })
  .openapi('ChecklistAnswer');

export const signatureSummarySchema = z
  .object({
    id: z.string(),
    signerName: z.string(),
    signedAt: z.string(),
    reportHash: z.string(),
    imageSha256: z.string(),
  })
  .openapi('SignatureSummary');

export const workOrderSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    type: z.enum(workOrderTypes),
    status: z.enum(workOrderStatuses),
    priority: z.enum(workOrderPriorities),
    title: z.string(),
    description: z.string().nullable(),
    customerId: z.string(),
    customerName: z.string(),
    siteId: z.string().nullable(),
    siteLabel: z.string().nullable(),
    region: z.string().nullable(),
    assets: z.array(z.object({ assetId: z.string(), label: z.string() })),
    contractId: z.string().nullable(),
    contractVersionId: z.string().nullable(),
    planId: z.string().nullable(),
    planDueKey: z.string().nullable(),
    dueDate: z.string().nullable(),
    reportedAt: z.string(),
    sla: z
      .object({
        responseHours: z.number().nullable(),
        resolutionHours: z.number().nullable(),
        responseDueAt: z.string().nullable(),
        resolutionDueAt: z.string().nullable(),
      })
      .nullable(),
    plannedStart: z.string().nullable(),
    plannedEnd: z.string().nullable(),
    technicianId: z.string().nullable(),
    technicianName: z.string().nullable(),
    checklist: z
      .object({
        templateId: z.string().nullable(),
        templateVersion: z.number().int().nullable(),
        items: z.array(checklistItemSchema),
      })
      .nullable(),
    answers: z.array(answerSchema),
    labor: z.array(laborLineSchema),
    parts: z.array(partLineSchema),
    signature: signatureSummarySchema.nullable(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    reportHash: z.string().nullable(),
    revision: z.number().int(),
    externalRefs: z.record(z.string(), z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WorkOrder');

export const workOrderListQuerySchema = z.object({
  status: z.enum(workOrderStatuses).optional(),
  type: z.enum(workOrderTypes).optional(),
  customerId: id.optional(),
  technicianId: id.optional(),
  contractId: id.optional(),
  planId: id.optional(),
  assetId: id.optional(),
  updatedSince: z.iso.datetime().optional(),
});

export type WorkOrderCreate = z.input<typeof workOrderCreateSchema>;
export type WorkOrderPatch = z.infer<typeof workOrderPatchSchema>;
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;
export type TransitionInput = z.infer<typeof transitionInputSchema>;
export type LaborLine = z.infer<typeof laborLineSchema>;
export type PartLine = z.infer<typeof partLineSchema>;
export type Answer = z.infer<typeof answerSchema>;
export type SignatureSummary = z.infer<typeof signatureSummarySchema>;
export type WorkOrder = z.infer<typeof workOrderSchema>;
export type WorkOrderListFilter = z.infer<typeof workOrderListQuerySchema>;

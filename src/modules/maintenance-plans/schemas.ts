import { z } from '@hono/zod-openapi';
import { quantityPattern } from '../../shared/quantity.js';
import { workOrderPriorities, workOrderTypes } from '../work-orders/index.js';
import { intervalUnits } from './calendar.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(64);
const date = z.iso.date().openapi({ example: '2025-01-15' });
const hours = z
  .string()
  .regex(quantityPattern, 'running hours as a decimal string, e.g. "500"')
  .refine((v) => !v.startsWith('-'), 'must not be negative');

export const planScopes = ['asset', 'contract'] as const;
export const planStatuses = ['active', 'paused', 'archived'] as const;

export const calendarTriggerSchema = z
  .strictObject({
    kind: z.literal('calendar'),
    every: z.number().int().min(1).max(999),
    unit: z.enum(intervalUnits),
  })
  .openapi('CalendarTrigger');

export const meterTriggerSchema = z
  .strictObject({
    kind: z.literal('meter'),
    everyHours: hours.refine((v) => /[1-9]/.test(v), 'must be greater than zero'),
    startHours: hours.optional().openapi({
      description: 'Cumulative running hours to count from (default: the first reading on/after startDate)',
    }),
  })
  .openapi('MeterTrigger');

export const triggerSchema = z
  .discriminatedUnion('kind', [calendarTriggerSchema, meterTriggerSchema])
  .openapi('PlanTrigger');

export const planWorkOrderSchema = z
  .strictObject({
    type: z.enum(workOrderTypes).default('preventive'),
    priority: z.enum(workOrderPriorities).default('normal'),
    title: text(200).optional(),
    description: text(5000).optional(),
    checklistTemplateId: id
      .optional()
      .openapi({ description: "Default: the work-order type's default template" }),
  })
  .openapi('PlanWorkOrderTemplate');

function datesInOrder(v: { startDate?: string; endDate?: string | null }, ctx: z.RefinementCtx) {
  if (v.startDate && v.endDate && v.endDate < v.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
  }
}

export const planCreateSchema = z
  .strictObject({
    name: text(200),
    scope: z.enum(planScopes),
    assetId: id.optional(),
    contractId: id
      .optional()
      .openapi({ description: 'Required for scope contract; optional for an asset (gives the SLA)' }),
    trigger: triggerSchema,
    startDate: date.openapi({ description: 'First calendar due date; nothing is due before it' }),
    endDate: date.optional(),
    workOrder: planWorkOrderSchema.default({ type: 'preventive', priority: 'normal' }),
  })
  .superRefine((v, ctx) => {
    if (v.scope === 'asset' && !v.assetId)
      ctx.addIssue({ code: 'custom', path: ['assetId'], message: 'required for scope asset' });
    if (v.scope === 'contract' && !v.contractId)
      ctx.addIssue({ code: 'custom', path: ['contractId'], message: 'required for scope contract' });
    if (v.scope === 'contract' && v.assetId)
      ctx.addIssue({
        code: 'custom',
        path: ['assetId'],
        message: "a contract plan covers the contract's assets; use scope asset",
      });
    datesInOrder(v, ctx);
  })
  .openapi('MaintenancePlanCreate');

export const planPatchSchema = z
  .strictObject({
    name: text(200).optional(),
    trigger: triggerSchema.optional(),
    startDate: date.optional(),
    endDate: date.nullable().optional(),
    workOrder: planWorkOrderSchema.partial().optional(),
    status: z.enum(['active', 'paused']).optional(),
  })
  .superRefine(datesInOrder)
  .openapi('MaintenancePlanPatch');

export const planSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(planScopes),
    assetId: z.string().nullable(),
    contractId: z.string().nullable(),
    customerId: z.string(),
    trigger: z.union([
      z.object({ kind: z.literal('calendar'), every: z.number().int(), unit: z.enum(intervalUnits) }),
      z.object({ kind: z.literal('meter'), everyHours: z.string(), startHours: z.string().nullable() }),
    ]),
    startDate: z.string(),
    endDate: z.string().nullable(),
    workOrder: z.object({
      type: z.enum(workOrderTypes),
      priority: z.enum(workOrderPriorities),
      title: z.string().nullable(),
      description: z.string().nullable(),
      checklistTemplateId: z.string().nullable(),
    }),
    status: z.enum(planStatuses),
    lastGeneratedAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('MaintenancePlan');

export const planListQuerySchema = z.object({
  status: z.enum(planStatuses).optional(),
  assetId: id.optional(),
  contractId: id.optional(),
  customerId: id.optional(),
});

export const generateInputSchema = z
  .strictObject({
    horizonDays: z.number().int().min(0).max(731),
    asOf: date.optional().openapi({ description: 'The day generation runs for (default today, UTC)' }),
    planIds: z
      .array(id)
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: 'Only these plans (default: every active plan)' }),
  })
  .openapi('MaintenanceGenerate');

export const occurrenceSchema = z
  .object({
    planId: z.string(),
    dueKey: z.string(),
    dueDate: z.string(),
    assetId: z.string(),
    workOrderId: z.string().nullable(),
    workOrderNumber: z.string().nullable(),
  })
  .openapi('MaintenanceOccurrence');

export const generateResultSchema = z
  .object({
    asOf: z.string(),
    until: z.string(),
    plans: z.number().int(),
    created: z.array(occurrenceSchema),
    alreadyGenerated: z.number().int(),
    skipped: z.array(
      z.object({
        planId: z.string(),
        assetId: z.string().nullable(),
        dueKey: z.string().nullable(),
        reason: z.string(),
      }),
    ),
  })
  .openapi('MaintenanceGenerateResult');

export type PlanCreate = z.input<typeof planCreateSchema>;
export type PlanPatch = z.input<typeof planPatchSchema>;
export type MaintenancePlan = z.infer<typeof planSchema>;
export type PlanListFilter = z.infer<typeof planListQuerySchema>;
export type GenerateInput = z.input<typeof generateInputSchema>;
export type Occurrence = z.infer<typeof occurrenceSchema>;
export type GenerateResult = z.infer<typeof generateResultSchema>;

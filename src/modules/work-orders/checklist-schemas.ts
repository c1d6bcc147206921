import { z } from '@hono/zod-openapi';
import { workOrderTypes } from './work-order-types.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const checklistItemKinds = ['pass_fail', 'number', 'text', 'photo'] as const;
export type ChecklistItemKind = (typeof checklistItemKinds)[number];

/** One question of a checklist. `min`/`max`/`unit` apply to `number` items only. */
export const checklistItemSchema = z
  .strictObject({
    key: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,59}$/,
        'lowercase letters, digits and _ (starting with a letter), at most 60',
      ),
    label: text(300),
    kind: z.enum(checklistItemKinds),
    required: z.boolean().default(false),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    unit: text(20).optional(),
  })
  .superRefine((item, ctx) => {
    if (
      item.kind !== 'number' &&
      (item.min !== undefined || item.max !== undefined || item.unit !== undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'min, max and unit apply to number items only',
      });
    }
    if (item.min !== undefined && item.max !== undefined && item.min > item.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must not be below min' });
    }
  })
  .openapi('ChecklistItem');

const itemsSchema = z
  .array(checklistItemSchema)
  .min(1)
  .max(200)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.key))
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `duplicate key ${item.key}` });
      seen.add(item.key);
    });
  });

export const checklistTemplateCreateSchema = z
  .strictObject({
    name: text(200),
    description: text(2000).optional(),
    defaultForType: z
      .enum(workOrderTypes)
      .optional()
      .openapi({ description: 'Use for new work orders of this type' }),
    items: itemsSchema,
  })
  .openapi('ChecklistTemplateCreate');

export const checklistTemplatePatchSchema = z
  .strictObject({
    name: text(200).optional(),
    description: text(2000).nullable().optional(),
    defaultForType: z.enum(workOrderTypes).nullable().optional(),
    items: itemsSchema.optional(),
  })
  .openapi('ChecklistTemplatePatch');

export const checklistTemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    defaultForType: z.enum(workOrderTypes).nullable(),
    items: z.array(checklistItemSchema),
    status: z.enum(['active', 'archived']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ChecklistTemplate');

export const checklistTemplateListQuerySchema = z.object({
  status: z.enum(['active', 'archived']).optional(),
  type: z.enum(workOrderTypes).optional().openapi({ description: 'Only the default template of this type' }),
});

export type ChecklistItem = z.infer<typeof checklistItemSchema>;
export type ChecklistTemplateCreate = z.input<typeof checklistTemplateCreateSchema>;
export type ChecklistTemplatePatch = z.input<typeof checklistTemplatePatchSchema>;
export type ChecklistTemplate = z.infer<typeof checklistTemplateSchema>;
export type ChecklistTemplateListFilter = z.infer<typeof checklistTemplateListQuerySchema>;

import { z } from '@hono/zod-openapi';
import { quantityPattern } from '../../shared/quantity.js';
import { serialsSchema } from './movement.schemas.js';

const id = z.string().min(1).max(64);

const countedQuantity = z
  .string()
  .regex(quantityPattern, 'a decimal quantity with at most 3 decimals, e.g. "4"')
  .refine((v) => !v.startsWith('-'), 'must not be negative');

export const cycleCountLineInputSchema = z
  .strictObject({
    itemId: id,
    countedQuantity,
    countedSerials: serialsSchema.optional().openapi({ description: 'Required for serial-tracked items' }),
  })
  .openapi('CycleCountLineInput');

export const cycleCountCreateSchema = z
  .strictObject({
    warehouseId: id,
    countedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'When counted (default now)' }),
    note: z.string().trim().min(1).max(2000).optional(),
    lines: z
      .array(cycleCountLineInputSchema)
      .min(1)
      .max(1000)
      .refine(
        (lines) => new Set(lines.map((l) => l.itemId)).size === lines.length,
        'each item may be counted once',
      ),
    createdBy: z.string().trim().min(1).max(200).optional(),
  })
  .openapi('CycleCountCreate');
export type CycleCountCreate = z.input<typeof cycleCountCreateSchema>;

export const cycleCountStatuses = ['draft', 'posted', 'cancelled'] as const;
export type CycleCountStatus = (typeof cycleCountStatuses)[number];

const lineSchema = z
  .object({
    lineNo: z.number().int(),
    itemId: z.string(),
    expectedQuantity: z.string().openapi({ description: 'On-hand when the count was recorded' }),
    countedQuantity: z.string(),
    difference: z.string().openapi({ description: 'counted − expected; the adjustment posting books' }),
    expectedSerials: z.array(z.string()),
    countedSerials: z.array(z.string()),
    movementIds: z.array(z.string()).openapi({ description: 'Adjustments posted for this line' }),
  })
  .openapi('CycleCountLine');

export const cycleCountSchema = z
  .object({
    id: z.string(),
    warehouseId: z.string(),
    status: z.enum(cycleCountStatuses),
    countedAt: z.string(),
    note: z.string().nullable(),
    createdBy: z.string(),
    postedAt: z.string().nullable(),
    lines: z.array(lineSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CycleCount');
export type CycleCount = z.infer<typeof cycleCountSchema>;
export type CycleCountLine = CycleCount['lines'][number];

export const cycleCountListQuerySchema = z.object({
  warehouseId: id.optional(),
  status: z.enum(cycleCountStatuses).optional(),
});
export type CycleCountListFilter = z.infer<typeof cycleCountListQuerySchema>;

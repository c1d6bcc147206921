import { z } from '@hono/zod-openapi';

// Schemas for the conflicts API (routes are wired by the lead from these and the functions in index.ts).

const anyValue = z
  .unknown()
  .openapi({ description: 'A field value as JSON (string, number, boolean, null, object)' });

export const conflictSchema = z
  .object({
    id: z.string(),
    flow: z.string(),
    connector: z.string(),
    entity: z.string().openapi({ description: 'Fieldsync entity, e.g. customer' }),
    externalEntity: z.string().openapi({ description: "The connector's entity" }),
    localId: z.string(),
    externalId: z.string(),
    field: z.string(),
    owner: z.string().openapi({ description: 'erp | fieldsync | shared' }),
    rule: z.string().nullable(),
    kind: z.string().openapi({ description: 'non_owner_change | concurrent_edit' }),
    message: z.string(),
    baseValue: anyValue,
    baseKnown: z.boolean(),
    erpValue: anyValue,
    localValue: anyValue,
    status: z.enum(['open', 'resolved']),
    resolution: z
      .string()
      .nullable()
      .openapi({ description: 'take_erp | take_ours | edit | converged | obsolete' }),
    resolvedValue: anyValue,
    resolvedBy: z.string().nullable(),
    detectedAt: z.string(),
    updatedAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('SyncConflict');

export const conflictListQuerySchema = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  flow: z.string().max(200).optional(),
  connector: z.string().max(200).optional(),
  entity: z.string().max(100).optional(),
  localId: z.string().max(100).optional(),
  externalId: z.string().max(200).optional(),
  field: z.string().max(200).optional(),
});

export const conflictResolveSchema = z
  .strictObject({
    resolution: z.enum(['take_erp', 'take_ours', 'edit']),
    value: anyValue.optional(),
  })
  .refine((v) => v.resolution !== 'edit' || v.value !== undefined, {
    message: 'required for edit',
    path: ['value'],
  })
  .refine((v) => v.resolution === 'edit' || v.value === undefined, {
    message: 'only for edit',
    path: ['value'],
  })
  .openapi('SyncConflictResolve');

export type ConflictResolveBody = z.infer<typeof conflictResolveSchema>;

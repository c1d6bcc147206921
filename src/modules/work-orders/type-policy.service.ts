import { z } from '@hono/zod-openapi';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { parseInput } from '../../shared/parse-input.js';
import type { WorkOrderType } from './work-order-types.js';
import { workOrderTypes } from './work-order-types.js';

export const typePolicySchema = z
  .object({
    type: z.enum(workOrderTypes),
    signatureRequired: z.boolean().openapi({ description: 'Completion needs a valid customer signature' }),
    laborRequired: z.boolean().openapi({ description: 'Completion needs at least one labor entry' }),
    updatedAt: z.string(),
  })
  .openapi('WorkOrderTypePolicy');
export const typePolicyPatchSchema = z
  .strictObject({ signatureRequired: z.boolean().optional(), laborRequired: z.boolean().optional() })
  .openapi('WorkOrderTypePolicyPatch');

export type TypePolicy = z.infer<typeof typePolicySchema>;
export type TypePolicyPatch = z.infer<typeof typePolicyPatchSchema>;

export const TypePolicyEvents = { updated: 'work_order_type_policy.updated' } as const;

/** Seeded by the migration; a type without a row (never in practice) gets the strictest policy. */
export async function getTypePolicy(executor: Executor, type: WorkOrderType): Promise<TypePolicy> {
  const row = await queryable(executor)
    .selectFrom('work_order_type_policies')
    .selectAll()
    .where('type', '=', type)
    .executeTakeFirst();
  if (!row) return { type, signatureRequired: true, laborRequired: true, updatedAt: '' };
  return {
    type,
    signatureRequired: Number(row.signature_required) === 1,
    laborRequired: Number(row.labor_required) === 1,
    updatedAt: row.updated_at,
  };
}

export async function listTypePolicies(executor: Executor): Promise<TypePolicy[]> {
  return Promise.all(workOrderTypes.map((type) => getTypePolicy(executor, type)));
}

export async function setTypePolicy(
  executor: Executor,
  type: WorkOrderType,
  raw: TypePolicyPatch,
): Promise<TypePolicy> {
  const patch = parseInput(typePolicyPatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const current = await getTypePolicy(uow, type);
    const next = {
      type,
      signature_required: (patch.signatureRequired ?? current.signatureRequired) ? 1 : 0,
      labor_required: (patch.laborRequired ?? current.laborRequired) ? 1 : 0,
      updated_at: nowIso(),
    };
    await uow.tx
      .insertInto('work_order_type_policies')
      .values(next)
      .onConflict((oc) =>
        oc.column('type').doUpdateSet({
          signature_required: next.signature_required,
          labor_required: next.labor_required,
          updated_at: next.updated_at,
        }),
      )
      .execute();
    const policy = await getTypePolicy(uow, type);
    await uow.emit({
      type: TypePolicyEvents.updated,
      subject: `work_order_type_policy/${type}`,
      data: { policy },
    });
    return policy;
  });
}

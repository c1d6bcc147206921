import { Decimal } from 'decimal.js';
import { z } from '@hono/zod-openapi';
import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { loadWorkOrder } from './repository.js';

const change = {
  costCenter: z.string().nullable(),
  currency: z.string(),
  labor: z.string(),
  parts: z.string(),
};

export const workOrderCostsSchema = z
  .object({
    workOrderId: z.string(),
    /** Per cost center and currency: the work order's whole cost as booked. */
    totals: z.array(z.object({ ...change, total: z.string() })),
    /** Each booking, oldest first: the change one costing (completion or correction) made. */
    bookings: z.array(
      z.object({
        revision: z.number().int(),
        ...change,
        amount: z.string(),
        assetIds: z.array(z.string()),
        costedAt: z.string(),
      }),
    ),
  })
  .openapi('WorkOrderCosts');
export type WorkOrderCosts = z.infer<typeof workOrderCostsSchema>;

/** A work order's maintenance cost per cost center, and the bookings that made it (cost-booking.ts). */
export async function getWorkOrderCosts(executor: Executor, id: string): Promise<WorkOrderCosts> {
  const db = queryable(executor);
  await loadWorkOrder(db, id);
  const rows = await db
    .selectFrom('work_order_costs')
    .selectAll()
    .where('work_order_id', '=', id)
    .orderBy('revision')
    .orderBy('cost_center')
    .orderBy('currency')
    .execute();
  const bookings = rows.map((r) => ({
    revision: Number(r.revision),
    costCenter: r.cost_center === '' ? null : r.cost_center,
    currency: r.currency,
    labor: r.labor,
    parts: r.parts,
    amount: r.amount,
    assetIds: JSON.parse(r.asset_ids) as string[],
    costedAt: r.costed_at,
  }));
  const sums = new Map<
    string,
    { costCenter: string | null; currency: string; labor: Decimal; parts: Decimal }
  >();
  for (const b of bookings) {
    const key = `${b.costCenter ?? ''}\u0000${b.currency}`;
    const sum = sums.get(key) ?? {
      costCenter: b.costCenter,
      currency: b.currency,
      labor: new Decimal(0),
      parts: new Decimal(0),
    };
    sums.set(key, { ...sum, labor: sum.labor.plus(b.labor), parts: sum.parts.plus(b.parts) });
  }
  const totals = [...sums.values()].map((s) => ({
    costCenter: s.costCenter,
    currency: s.currency,
    labor: s.labor.toFixed(),
    parts: s.parts.toFixed(),
    total: s.labor.plus(s.parts).toFixed(),
  }));
  return { workOrderId: id, totals, bookings };
}

import { z } from '@hono/zod-openapi';
import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { readCostBookings, sumCostBookings } from './cost-ledger.js';
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
  const bookings = await readCostBookings(db, id);
  const sums = sumCostBookings(bookings);
  const totals = [...sums.values()].map((s) => ({
    costCenter: s.costCenter,
    currency: s.currency,
    labor: s.labor.toFixed(),
    parts: s.parts.toFixed(),
    total: s.labor.plus(s.parts).toFixed(),
  }));
  return { workOrderId: id, totals, bookings };
}

import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';

/** Cost center and currency, the key every costing step groups by ('' stands for no cost center). */
export const costKey = (c: { costCenter: string | null; currency: string }): string =>
  `${c.costCenter ?? ''}\u0000${c.currency}`;

/** One row of `work_order_costs`: the change one costing made to one cost center's cost. */
export interface CostBooking {
  revision: number;
  costCenter: string | null;
  currency: string;
  labor: string;
  parts: string;
  amount: string;
  assetIds: string[];
  costedAt: string;
}

export interface CostSum {
  costCenter: string | null;
  currency: string;
  labor: Decimal;
  parts: Decimal;
}

/** A work order's bookings, oldest first. */
export async function readCostBookings(db: Kysely<Database>, workOrderId: string): Promise<CostBooking[]> {
  const rows = await db
    .selectFrom('work_order_costs')
    .selectAll()
    .where('work_order_id', '=', workOrderId)
    .orderBy('revision')
    .orderBy('cost_center')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({
    revision: Number(r.revision),
    costCenter: r.cost_center === '' ? null : r.cost_center,
    currency: r.currency,
    labor: r.labor,
    parts: r.parts,
    amount: r.amount,
    assetIds: JSON.parse(r.asset_ids) as string[],
    costedAt: r.costed_at,
  }));
}

/** What the bookings add up to per cost center and currency: what the ERP was told. */
export function sumCostBookings(bookings: readonly CostBooking[]): Map<string, CostSum> {
  const sums = new Map<string, CostSum>();
  for (const b of bookings) {
    const key = costKey(b);
    const sum = sums.get(key) ?? {
      costCenter: b.costCenter,
      currency: b.currency,
      labor: new Decimal(0),
      parts: new Decimal(0),
    };
    sums.set(key, { ...sum, labor: sum.labor.plus(b.labor), parts: sum.parts.plus(b.parts) });
  }
  return sums;
}

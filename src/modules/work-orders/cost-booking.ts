import { Decimal } from 'decimal.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { memo } from '../../shared/memo.js';
import { getAsset } from '../assets/index.js';
import { getItem } from '../items/index.js';
import { getTechnician } from '../technicians/index.js';
import type { CostAllocation, CostSources } from './cost-allocation.js';
import { allocateCosts } from './cost-allocation.js';
import type { CostSum } from './cost-ledger.js';
import { costKey, readCostBookings, sumCostBookings } from './cost-ledger.js';
import { WorkOrderEvents, workOrderSubject } from './events.js';
import type { WorkOrder } from './schemas.js';

/** One cost center's change in cost, as `work_order.costed` announces it. */
export interface CostChange {
  costCenter: string | null;
  currency: string;
  /** The change since the last costing (negative when a correction took cost away). */
  labor: string;
  parts: string;
  amount: string;
  /** The cost center's whole cost for the work order after this change. */
  total: string;
  assetIds: string[];
}

export interface WorkOrderCosted {
  workOrderId: string;
  number: string;
  revision: number;
  /** Every line's currency: a costing in several currencies is announced once per currency. */
  currency: string;
  /** The day the cost belongs to: the completion's for the first costing, the correction's after. */
  date: string;
  costedAt: string;
  customerId: string;
  contractId: string | null;
  /** Changes with a cost center: what the ERP books on its cost centers. */
  lines: CostChange[];
  /** Changes without one (no asset, or an asset without a cost center): kept here, not booked. */
  unallocated: CostChange[];
}

function sourcesIn(uow: UnitOfWork): CostSources {
  return {
    itemCost: memo(async (id) => {
      const item = await getItem(uow, id);
      return { amount: item.costPrice, currency: item.currency };
    }),
    technicianRate: memo(async (id) => (await getTechnician(uow, id)).costRate),
    assetCostCenter: memo(async (id) => (await getAsset(uow, id)).costCenter),
  };
}

function changesFrom(now: CostAllocation[], booked: ReadonlyMap<string, CostSum>): CostChange[] {
  const changes: CostChange[] = [];
  const seen = new Set<string>();
  for (const a of now) {
    const key = costKey(a);
    seen.add(key);
    const before = booked.get(key);
    const labor = new Decimal(a.labor).minus(before?.labor ?? 0);
    const parts = new Decimal(a.parts).minus(before?.parts ?? 0);
    if (labor.isZero() && parts.isZero()) continue;
    changes.push({
      costCenter: a.costCenter,
      currency: a.currency,
      labor: labor.toFixed(),
      parts: parts.toFixed(),
      amount: labor.plus(parts).toFixed(),
      total: a.total,
      assetIds: a.assetIds,
    });
  }
  // A cost center the work order no longer touches gives back everything it was booked.
  for (const [key, before] of booked) {
    if (seen.has(key) || (before.labor.isZero() && before.parts.isZero())) continue;
    changes.push({
      costCenter: before.costCenter,
      currency: before.currency,
      labor: before.labor.neg().toFixed(),
      parts: before.parts.neg().toFixed(),
      amount: before.labor.plus(before.parts).neg().toFixed(),
      total: '0',
      assetIds: [],
    });
  }
  return changes;
}

/**
 * Costs a completed work order, in its completion or correction transaction: books the change of each cost
 * center's cost since the last costing and announces it as `work_order.costed`, one per currency (which the
 * ERP flow turns into postings on the cost centers). Nothing changed, nothing is booked or announced, so re-costing an
 * unchanged work order is harmless.
 */
export async function bookWorkOrderCosts(uow: UnitOfWork, wo: WorkOrder): Promise<WorkOrderCosted[]> {
  const changes = changesFrom(
    await allocateCosts(wo, sourcesIn(uow)),
    sumCostBookings(await readCostBookings(uow.tx, wo.id)),
  );
  if (changes.length === 0) return [];
  const costedAt = nowIso();
  await uow.tx
    .insertInto('work_order_costs')
    .values(
      changes.map((c) => ({
        work_order_id: wo.id,
        revision: wo.revision,
        cost_center: c.costCenter ?? '',
        currency: c.currency,
        labor: c.labor,
        parts: c.parts,
        amount: c.amount,
        asset_ids: JSON.stringify(c.assetIds),
        costed_at: costedAt,
      })),
    )
    .execute();
  // A correction's change belongs to the day it is made: the completion's period may be closed by then.
  const date = (wo.revision === 0 && wo.completedAt ? wo.completedAt : costedAt).slice(0, 10);
  const announced: WorkOrderCosted[] = [];
  // One event per currency: an ERP posts in one currency, and a line it refuses must not take the others
  // down with it.
  for (const currency of [...new Set(changes.map((c) => c.currency))].sort()) {
    const mine = changes.filter((c) => c.currency === currency);
    const costed: WorkOrderCosted = {
      workOrderId: wo.id,
      number: wo.number,
      revision: wo.revision,
      currency,
      date,
      costedAt,
      customerId: wo.customerId,
      contractId: wo.contractId,
      // Labor and parts can trade places on one cost center (a correction): its amount is then 0, nothing to post.
      lines: mine.filter((c) => c.costCenter !== null && !new Decimal(c.amount).isZero()),
      unallocated: mine.filter((c) => c.costCenter === null),
    };
    // Only a change the ERP can book is announced; the rest stays in the ledger above.
    if (costed.lines.length === 0) continue;
    await uow.emit({ type: WorkOrderEvents.costed, subject: workOrderSubject(wo.id), data: costed });
    announced.push(costed);
  }
  return announced;
}

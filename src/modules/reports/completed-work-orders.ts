import type { WorkOrder } from '../work-orders/index.js';
import { listWorkOrders } from '../work-orders/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import type { ReportFilter } from './schemas.js';

/**
 * Work orders completed (or completed and closed) on a day of the period, through the work-orders
 * module's public listing. Their completion day is the calendar date of completedAt (UTC), the same day
 * billing prices them on. A work order's updatedAt is never earlier than its completedAt, so listing the
 * ones updated since the period's first day finds them all without scanning older history.
 */
export async function forEachCompletedWorkOrder(
  executor: Executor,
  filter: Pick<ReportFilter, 'from' | 'to' | 'customerId' | 'contractId'> & { region?: string },
  visit: (wo: WorkOrder & { completedAt: string }) => void | Promise<void>,
): Promise<void> {
  const query = {
    updatedSince: `${filter.from}T00:00:00.000Z`,
    ...(filter.customerId && { customerId: filter.customerId }),
    ...(filter.contractId && { contractId: filter.contractId }),
  };
  let afterId: string | undefined;
  do {
    const page = await listWorkOrders(executor, query, { limit: 200, afterId });
    for (const wo of page.data) {
      if (wo.status !== 'completed' && wo.status !== 'closed') continue;
      if (!wo.completedAt) continue;
      const day = wo.completedAt.slice(0, 10);
      if (day < filter.from || day > filter.to) continue;
      if (filter.region && wo.region !== filter.region) continue;
      await visit({ ...wo, completedAt: wo.completedAt });
    }
    afterId = page.nextAfterId ?? undefined;
  } while (afterId);
}

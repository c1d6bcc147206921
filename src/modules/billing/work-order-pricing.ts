import type { Customer } from '../customers/index.js';
import type { WorkOrder } from '../work-orders/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { AppError, AppErrorCode, errors, isAppError } from '../../shared/errors/index.js';
import type { BillingPolicy } from './billing-policy.js';
import type { PricedColumns, PricedFacts } from './document-rows.js';
import { customerColumns, pricedColumns, pricedLineRows } from './document-rows.js';
import type { PricedDocument } from './pricing/index.js';
import { priceWorkOrder } from './pricing/index.js';
import { toPricingInput } from './pricing-adapter.js';
import type { NewLineRow } from './repository.js';
import type { FactsCache } from './work-order-facts.js';
import { loadWorkOrderFacts } from './work-order-facts.js';

/** Completed work orders carry their completion time; nothing else is billed. */
export type BillableWorkOrder = WorkOrder & { completedAt: string };

export function assertBillable(wo: WorkOrder): asserts wo is BillableWorkOrder {
  if ((wo.status === 'completed' || wo.status === 'closed') && wo.completedAt) return;
  throw errors.conflict(
    `work order ${wo.number} is ${wo.status}; only completed or closed work orders are billed`,
    { workOrderId: wo.id, workOrderStatus: wo.status },
  );
}

export interface PricedWorkOrder {
  priced: PricedDocument;
  facts: PricedFacts;
  customer: Customer;
  columns: PricedColumns &
    ReturnType<typeof customerColumns> & { region: string | null; cost_center: string | null };
  lines: NewLineRow[];
}

/**
 * A missing price names the item and the lists (the engine's message) and, here, the work order and the
 * lists' real ids; any other engine refusal is a 422 about the work order: the caller sent only its id.
 */
function explain(error: unknown, wo: WorkOrder, facts: PricedFacts): unknown {
  if (!isAppError(error)) return error;
  if (error.code !== AppErrorCode.unprocessable && error.code !== AppErrorCode.validation) return error;
  const details: Record<string, unknown> = {
    ...error.details,
    workOrderId: wo.id,
    workOrderNumber: wo.number,
  };
  if (Array.isArray(error.details.priceListIds)) {
    const codes = error.details.priceListIds as string[];
    details.priceListCodes = codes;
    details.priceListIds = codes.map((code) => facts.lists.get(code)?.id ?? code);
  }
  return new AppError(
    AppErrorCode.unprocessable,
    `work order ${wo.number} cannot be priced: ${error.message}`,
    {
      details,
      issues: error.issues,
    },
  );
}

/** Loads the facts, prices the work order and maps the result to rows; writes nothing. */
export async function priceForDocument(
  uow: UnitOfWork,
  wo: BillableWorkOrder,
  policy: BillingPolicy,
  options: { cache?: FactsCache; excludeDocumentId?: string } = {},
): Promise<PricedWorkOrder> {
  const loaded = await loadWorkOrderFacts(uow, wo, policy, options);
  const { input, lists } = toPricingInput(loaded.facts);
  const facts: PricedFacts = { ...loaded.facts, lists };
  let priced: PricedDocument;
  try {
    priced = priceWorkOrder(input);
  } catch (error) {
    throw explain(error, wo, facts);
  }
  const primary = wo.assets[0]?.assetId;
  const costCenter = primary ? (facts.assets.get(primary)?.costCenter ?? null) : null;
  return {
    priced,
    facts,
    customer: loaded.customer,
    columns: {
      ...pricedColumns(priced, facts),
      ...customerColumns(loaded.customer, wo.siteId),
      region: wo.region,
      cost_center: costCenter,
    },
    lines: pricedLineRows(priced, facts, costCenter),
  };
}

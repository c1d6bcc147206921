import type { PricingPolicy, WorkOrderType } from './pricing/index.js';

/**
 * How work orders are billed: the engine's pricing policy plus what the work order itself does not say.
 * Work orders record labor (its `travel` labor type is priced at the `travel` labor rate) but no call-out
 * or distance, so a call-out fee line is added only for the work-order types listed in `callOutFor`.
 */
export interface BillingPolicy extends PricingPolicy {
  callOutFor: WorkOrderType[];
}

export const defaultBillingPolicy: Readonly<BillingPolicy> = {
  laborRoundingMinutes: 15,
  laborMinimumMinutes: 30,
  warrantyPrecedence: 'warranty_first',
  taxCategories: { labor: 'services', part: 'goods', fee: 'services' },
  callOutFor: [],
};

export interface BillingOptions {
  /** Overrides of the default policy (fields not given keep their default). */
  policy?: Partial<BillingPolicy>;
}

export function resolvePolicy(options: BillingOptions | undefined): BillingPolicy {
  const p = options?.policy ?? {};
  return {
    ...defaultBillingPolicy,
    ...p,
    taxCategories: { ...defaultBillingPolicy.taxCategories, ...p.taxCategories },
    callOutFor: [...(p.callOutFor ?? defaultBillingPolicy.callOutFor)],
  };
}

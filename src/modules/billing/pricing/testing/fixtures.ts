import type {
  ContractVersion,
  PriceList,
  PricingInput,
  PricingPolicy,
  PricingWorkOrder,
} from '../input-schema.js';

/**
 * Builders for pricing inputs shared by the tests, the documentation examples and the benchmark. Each call
 * returns fresh objects, so a test can change one field without leaking into the next.
 */

export function defaultPriceList(): PriceList {
  return {
    id: 'STD-2026',
    name: 'Standard prices 2026',
    currency: 'EUR',
    laborRates: { standard: '80.00', specialist: '120.00' },
    items: { 'itm-filter': '25.00', 'itm-belt': '40.00', 'itm-oil': '12.50', 'itm-screw': '0.0125' },
    callOutFee: '45.00',
    perKmRate: '0.80',
  };
}

export function customerPriceList(): PriceList {
  return {
    id: 'ACME-2026',
    name: 'ACME negotiated prices',
    currency: 'EUR',
    customerId: 'cus-acme',
    laborRates: { standard: '72.00' },
    items: { 'itm-filter': '22.00' },
  };
}

export function contractC1042(): ContractVersion {
  return {
    id: 'ctv-1042-2',
    contractId: 'ctr-1042',
    number: 'C-1042',
    version: 2,
    customerId: 'cus-acme',
    startDate: '2025-07-01',
    validFrom: '2026-01-01',
    validTo: null,
    coverage: {
      preventive: {
        laborCoveredPct: '100',
        partsCoveredPct: '100',
        travelCovered: true,
        excludedCategories: ['consumables'],
      },
      corrective: { laborCoveredPct: '50', partsCoveredPct: '0', travelCovered: false },
    },
    discounts: { partsPct: '10' },
    caps: [],
  };
}

export function defaultPolicy(): PricingPolicy {
  return {
    laborRoundingMinutes: 15,
    laborMinimumMinutes: 30,
    warrantyPrecedence: 'warranty_first',
    taxCategories: { labor: 'services', part: 'goods', fee: 'services' },
  };
}

export function workOrder(overrides: Partial<PricingWorkOrder> = {}): PricingWorkOrder {
  return {
    id: 'wo-1001',
    number: 'WO-1001',
    type: 'preventive',
    completedAt: '2026-03-14T16:20:00+01:00',
    customerId: 'cus-acme',
    assetId: 'ast-77',
    labor: [],
    parts: [],
    ...overrides,
  };
}

/** A customer with its own list and contract C-1042, no warranties, default policy. */
export function baseInput(overrides: Partial<PricingInput> = {}): PricingInput {
  return {
    workOrder: workOrder(),
    priceLists: { default: defaultPriceList(), customer: customerPriceList() },
    contract: contractC1042(),
    capUsage: [],
    warranties: {},
    policy: defaultPolicy(),
    ...overrides,
  };
}

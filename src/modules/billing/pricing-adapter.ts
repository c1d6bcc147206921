import type { Asset } from '../assets/index.js';
import type {
  Contract,
  ContractVersion as ContractsVersion,
  PriceList as ContractsPriceList,
} from '../contracts/index.js';
import type { Item } from '../items/index.js';
import type { WorkOrder } from '../work-orders/index.js';
import type { BillingPolicy } from './billing-policy.js';
import type {
  AssetWarranty,
  CapUsage,
  ContractVersion,
  CoverageTerms,
  LineKind,
  PriceList,
  PricingInput,
} from './pricing/index.js';

/**
 * Pure mapping from the operational modules' records to the pricing engine's input (documented in
 * docs/billing.md, "From work order to pricing input"). Everything is loaded by the caller; nothing here
 * reads the store, so the mapping is testable on its own and re-pricing sees exactly what was loaded.
 */
export interface WorkOrderFacts {
  workOrder: WorkOrder;
  contract: Contract | null;
  /** The version in force on the document date, or null. */
  version: ContractsVersion | null;
  customerList: ContractsPriceList | null;
  defaultList: ContractsPriceList;
  items: ReadonlyMap<string, Item>;
  assets: ReadonlyMap<string, Asset>;
  capUsage: CapUsage[];
  policy: BillingPolicy;
}

export interface PricingAdapterResult {
  input: PricingInput;
  /** Engine price-list id (the list's code, else its id) → the contracts module's price list. */
  lists: Map<string, ContractsPriceList>;
}

const capKinds = {
  parts: ['part'],
  labor: ['labor'],
  total: ['labor', 'part', 'fee'],
} as const satisfies Record<ContractsVersion['caps'][number]['kind'], readonly LineKind[]>;

/** The name the engine shows in its sentences: a list's code reads better than its UUID. */
export const engineListId = (list: ContractsPriceList): string => list.code ?? list.id;

/**
 * A contracts price list as the engine reads it. Category prices are a per-list fallback for items
 * without their own line, so each part's item without an item price gets its category price in the same
 * list: the engine then keeps its order (customer list, then default list) and never sees categories.
 */
export function toEnginePriceList(
  list: ContractsPriceList,
  parts: readonly { itemId: string; category: string }[],
): PriceList {
  const items: Record<string, string> = { ...list.items };
  for (const part of parts) {
    if (Object.hasOwn(items, part.itemId)) continue;
    if (Object.hasOwn(list.categories, part.category))
      items[part.itemId] = list.categories[part.category] as string;
  }
  return {
    id: engineListId(list),
    name: list.name,
    currency: list.currency,
    customerId: list.customerId,
    laborRates: { ...list.laborRates },
    items,
    ...(list.callOutFee !== null && { callOutFee: list.callOutFee }),
    ...(list.perKmRate !== null && { perKmRate: list.perKmRate }),
  };
}

function toTerms(terms: ContractsVersion['coverage']['preventive']): CoverageTerms | undefined {
  if (!terms) return undefined;
  return {
    laborCoveredPct: terms.laborCoveredPct,
    partsCoveredPct: terms.partsCoveredPct,
    travelCovered: terms.travelCovered,
    ...(terms.includedCategories !== null && { includedCategories: [...terms.includedCategories] }),
    excludedCategories: [...terms.excludedCategories],
  };
}

export function toEngineContract(contract: Contract | null, version: ContractsVersion): ContractVersion {
  const coverage: ContractVersion['coverage'] = {};
  for (const type of ['preventive', 'corrective', 'installation', 'inspection'] as const) {
    const terms = toTerms(version.coverage[type]);
    if (terms) coverage[type] = terms;
  }
  return {
    id: version.id,
    contractId: version.contractId,
    number: version.contractNumber,
    version: version.versionNo,
    customerId: version.customerId,
    // Contract years and whole-contract caps count from the contract's first day, not this version's.
    startDate: contract?.startDate ?? version.validFrom,
    validFrom: version.validFrom,
    validTo: version.validTo,
    coverage,
    // The contracts module has no travel discount.
    discounts: { laborPct: version.discounts.laborPct, partsPct: version.discounts.partsPct },
    caps: version.caps.map((cap) => ({
      id: cap.id,
      description: `${cap.kind} cap per ${cap.period}`,
      period: cap.period,
      limit: { amount: cap.amount, currency: cap.currency },
      appliesTo: [...capKinds[cap.kind]],
    })),
  };
}

/** Nothing is under warranty after the asset's disposal, whatever the warranty dates say. */
export function warrantyOf(asset: Asset): AssetWarranty {
  const clip = (until: string | null) =>
    until !== null && asset.disposalDate !== null && asset.disposalDate < until ? asset.disposalDate : until;
  return { partsUntil: clip(asset.warrantyPartsUntil), laborUntil: clip(asset.warrantyLaborUntil) };
}

/** An item's own tax category overrides the policy's hint for parts. */
function taxCategoryOf(item: Item | undefined): { taxCategory?: string } {
  return item?.taxCategory ? { taxCategory: item.taxCategory } : {};
}

export function toPricingInput(facts: WorkOrderFacts): PricingAdapterResult {
  const { workOrder: wo, policy } = facts;
  if (!wo.completedAt) throw new RangeError(`work order ${wo.id} has no completedAt`);
  const parts = wo.parts.map((p) => ({
    itemId: p.itemId,
    sku: p.sku,
    category: p.category,
    quantity: p.quantity,
    unit: p.unit,
    description: p.name,
    ...(p.assetId !== null && { assetId: p.assetId }),
    ...taxCategoryOf(facts.items.get(p.itemId)),
  }));
  const lists = new Map<string, ContractsPriceList>();
  lists.set(engineListId(facts.defaultList), facts.defaultList);
  if (facts.customerList) lists.set(engineListId(facts.customerList), facts.customerList);
  const warranties: Record<string, AssetWarranty> = {};
  for (const [assetId, asset] of facts.assets) warranties[assetId] = warrantyOf(asset);
  const primaryAsset = wo.assets[0]?.assetId;
  const { callOutFor, ...pricingPolicy } = policy;
  const input: PricingInput = {
    workOrder: {
      id: wo.id,
      number: wo.number,
      type: wo.type,
      completedAt: wo.completedAt,
      customerId: wo.customerId,
      ...(primaryAsset !== undefined && { assetId: primaryAsset }),
      labor: wo.labor.map((l) => ({
        technicianId: l.technicianId,
        laborType: l.laborType,
        minutes: l.durationMinutes,
        billable: l.billable,
      })),
      parts,
      ...(callOutFor.includes(wo.type) && { travel: { callOut: true } }),
    },
    priceLists: {
      default: toEnginePriceList(facts.defaultList, parts),
      customer: facts.customerList ? toEnginePriceList(facts.customerList, parts) : null,
    },
    contract: facts.version ? toEngineContract(facts.contract, facts.version) : null,
    capUsage: facts.capUsage,
    warranties,
    policy: pricingPolicy,
  };
  return { input, lists };
}

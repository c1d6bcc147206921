import type { Asset } from '../assets/index.js';
import { getAsset } from '../assets/index.js';
import type { Contract, ContractVersion, PriceList, ResolvedPriceLists } from '../contracts/index.js';
import {
  getContract,
  getContractVersionInForce,
  getPriceList,
  resolvePriceLists,
} from '../contracts/index.js';
import type { Customer } from '../customers/index.js';
import { getCustomer } from '../customers/index.js';
import type { Item } from '../items/index.js';
import { getItem } from '../items/index.js';
import type { WorkOrder } from '../work-orders/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import type { BillingPolicy } from './billing-policy.js';
import { capUsageFor, lockContractCaps } from './cap-ledger.js';
import type { WorkOrderFacts } from './pricing-adapter.js';
import { toEngineContract } from './pricing-adapter.js';

/**
 * Loads what pricing a work order needs through the other modules' public functions. A batch run
 * (billCompletedWorkOrders, the benchmark) passes one FactsCache so customers, contracts, price lists,
 * items and assets are read once per run instead of once per work order; cap usage is never cached.
 */
export interface FactsCache {
  customers: Map<string, Promise<Customer>>;
  contracts: Map<string, Promise<Contract>>;
  versions: Map<string, Promise<ContractVersion | null>>;
  priceLists: Map<string, Promise<PriceList>>;
  resolved: Map<string, Promise<ResolvedPriceLists>>;
  items: Map<string, Promise<Item>>;
  assets: Map<string, Promise<Asset>>;
}

export function newFactsCache(): FactsCache {
  return {
    customers: new Map(),
    contracts: new Map(),
    versions: new Map(),
    priceLists: new Map(),
    resolved: new Map(),
    items: new Map(),
    assets: new Map(),
  };
}

function cached<T>(
  map: Map<string, Promise<T>> | undefined,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  if (!map) return load();
  let hit = map.get(key);
  if (!hit) {
    hit = load();
    // A failed load is not remembered: the next work order tries again.
    hit.catch(() => map.delete(key));
    map.set(key, hit);
  }
  return hit;
}

export interface LoadedFacts {
  facts: WorkOrderFacts;
  customer: Customer;
  documentDate: string;
}

/** The calendar day of completedAt as written (the engine's rule 1). */
export const documentDateOf = (completedAt: string): string => completedAt.slice(0, 10);

export async function loadWorkOrderFacts(
  uow: UnitOfWork,
  wo: WorkOrder & { completedAt: string },
  policy: BillingPolicy,
  options: { cache?: FactsCache; excludeDocumentId?: string } = {},
): Promise<LoadedFacts> {
  const cache = options.cache;
  const date = documentDateOf(wo.completedAt);
  const customer = await cached(cache?.customers, wo.customerId, () => getCustomer(uow, wo.customerId));
  let contract: Contract | null = null;
  let version: ContractVersion | null = null;
  if (wo.contractId) {
    const contractId = wo.contractId;
    contract = await cached(cache?.contracts, contractId, () => getContract(uow, contractId));
    version = await cached(cache?.versions, `${contractId}|${date}`, () =>
      getContractVersionInForce(uow, contractId, date),
    );
  }
  const currency = contract?.currency ?? customer.currency;
  const resolved = await cached(cache?.resolved, `${customer.id}|${date}|${currency}`, () =>
    resolvePriceLists(uow, customer.id, date, { currency }),
  );
  const contractListId = version?.priceListId ?? null;
  const customerList = contractListId
    ? await cached(cache?.priceLists, contractListId, () => getPriceList(uow, contractListId))
    : resolved.customerList;
  const items = new Map<string, Item>();
  for (const itemId of new Set(wo.parts.map((p) => p.itemId))) {
    items.set(itemId, await cached(cache?.items, itemId, () => getItem(uow, itemId)));
  }
  const assetIds = new Set([
    ...wo.assets.map((a) => a.assetId),
    ...wo.parts.map((p) => p.assetId).filter((a): a is string => a !== null),
  ]);
  const assets = new Map<string, Asset>();
  for (const assetId of assetIds) {
    assets.set(assetId, await cached(cache?.assets, assetId, () => getAsset(uow, assetId)));
  }
  let capUsage: WorkOrderFacts['capUsage'] = [];
  if (version && version.caps.length > 0) {
    await lockContractCaps(uow, version.contractId);
    capUsage = await capUsageFor(
      uow.tx,
      toEngineContract(contract, version),
      date,
      options.excludeDocumentId,
    );
  }
  return {
    facts: {
      workOrder: wo,
      contract,
      version,
      customerList,
      defaultList: resolved.defaultList,
      items,
      assets,
      capUsage,
      policy,
    },
    customer,
    documentDate: date,
  };
}

import { Decimal } from 'decimal.js';
import { currencyExponent } from '../../shared/money.js';
import { costKey } from './cost-ledger.js';
import type { WorkOrder } from './schemas.js';

/** What costing needs to know about the things a work order used, at the time it is costed. */
export interface CostSources {
  /** The item's cost price per unit. */
  itemCost(itemId: string): Promise<{ amount: string; currency: string }>;
  /** The technician's cost per hour. */
  technicianRate(technicianId: string): Promise<{ amount: string; currency: string }>;
  /** The asset's cost center, or null when it has none. */
  assetCostCenter(assetId: string): Promise<string | null>;
}

/** One cost center's share of a work order's cost, in one currency. */
export interface CostAllocation {
  /** null: the cost has no cost center (no asset, or an asset without one). */
  costCenter: string | null;
  currency: string;
  labor: string;
  parts: string;
  total: string;
  assetIds: string[];
}

interface Acc {
  costCenter: string | null;
  currency: string;
  labor: Decimal;
  parts: Decimal;
  assetIds: Set<string>;
}

/**
 * A work order's maintenance cost per cost center: every labor minute (billable or not) at the technician's
 * cost rate, every part at the item's cost price. A part fitted to an asset costs that asset's cost center;
 * labor and parts without an asset go to the primary asset, the one the work order is about. Sums are exact
 * and rounded once per allocation, half away from zero; currencies are never converted (a cost in another
 * currency is its own allocation).
 */
export async function allocateCosts(wo: WorkOrder, sources: CostSources): Promise<CostAllocation[]> {
  const primary = wo.assets[0]?.assetId ?? null;
  const accs = new Map<string, Acc>();
  const add = async (assetId: string | null, currency: string, kind: 'labor' | 'parts', amount: Decimal) => {
    const costCenter = assetId === null ? null : await sources.assetCostCenter(assetId);
    const key = costKey({ costCenter, currency });
    let acc = accs.get(key);
    if (!acc) {
      acc = { costCenter, currency, labor: new Decimal(0), parts: new Decimal(0), assetIds: new Set() };
      accs.set(key, acc);
    }
    acc[kind] = acc[kind].plus(amount);
    if (assetId !== null) acc.assetIds.add(assetId);
  };
  for (const line of wo.labor) {
    const rate = await sources.technicianRate(line.technicianId);
    await add(primary, rate.currency, 'labor', new Decimal(rate.amount).mul(line.durationMinutes).div(60));
  }
  for (const part of wo.parts) {
    const cost = await sources.itemCost(part.itemId);
    await add(part.assetId ?? primary, cost.currency, 'parts', new Decimal(cost.amount).mul(part.quantity));
  }
  return [...accs.values()]
    .map((acc) => {
      const round = (d: Decimal) =>
        d.toDecimalPlaces(currencyExponent(acc.currency), Decimal.ROUND_HALF_UP).toFixed();
      const labor = round(acc.labor);
      const parts = round(acc.parts);
      return {
        costCenter: acc.costCenter,
        currency: acc.currency,
        labor,
        parts,
        total: new Decimal(labor).plus(parts).toFixed(),
        assetIds: [...acc.assetIds].sort(),
      };
    })
    .sort((a, b) => costKey(a).localeCompare(costKey(b)));
}

import { D, parseMinutes } from './decimal.js';
import type { Dec } from './decimal.js';
import type { PricingPolicy, PricingWorkOrder } from './input-schema.js';

/**
 * Labor is grouped, then rounded per group: entries of the same labor type on the same asset (and with the
 * same billable flag) become one line, and the group total is rounded up to the started increment. Rounding
 * the group rather than each entry means two technicians' 10 minutes are billed as 20, not as 2 × 15.
 */

export interface LaborGroup {
  laborType: string;
  assetId: string | null;
  billable: boolean;
  technicianIds: string[];
  minutes: number;
}

export function groupLaborEntries(workOrder: PricingWorkOrder): LaborGroup[] {
  const groups = new Map<string, LaborGroup>();
  workOrder.labor.forEach((entry, index) => {
    const minutes = parseMinutes(entry.minutes, ['workOrder', 'labor', index, 'minutes']);
    const assetId = entry.assetId ?? workOrder.assetId ?? null;
    const key = JSON.stringify([entry.billable, entry.laborType, assetId]);
    let group = groups.get(key);
    if (!group) {
      group = {
        laborType: entry.laborType,
        assetId,
        billable: entry.billable,
        technicianIds: [],
        minutes: 0,
      };
      groups.set(key, group);
    }
    group.minutes += minutes;
    if (!group.technicianIds.includes(entry.technicianId)) group.technicianIds.push(entry.technicianId);
  });
  return [...groups.values()];
}

export interface LaborMinutes {
  worked: number;
  rounded: number;
  billed: number;
}

type RoundingPolicy = Pick<PricingPolicy, 'laborRoundingMinutes' | 'laborMinimumMinutes'>;

/** Started increments are billed in full; the minimum applies only when something is billed at all. */
export function billLaborMinutes(worked: number, policy: RoundingPolicy): LaborMinutes {
  const increment = parseMinutes(policy.laborRoundingMinutes, ['policy', 'laborRoundingMinutes']);
  const minimum = parseMinutes(policy.laborMinimumMinutes, ['policy', 'laborMinimumMinutes']);
  const rounded = increment > 1 ? Math.ceil(worked / increment) * increment : worked;
  const billed = rounded > 0 ? Math.max(rounded, minimum) : 0;
  return { worked, rounded, billed };
}

/** Hours at the shared quantity scale (3 decimals, half away from zero); exact for 15/30/60-minute steps. */
export function minutesToHours(minutes: number): Dec {
  return new D(minutes).div(60).toDecimalPlaces(3, D.ROUND_HALF_UP);
}

import { parsePct, ZERO } from './decimal.js';
import type { Dec } from './decimal.js';
import type { ContractVersion, LineKind } from './input-schema.js';

/**
 * Contract discounts are price terms: they lower the price of every line of their kind, whether or not
 * the line is covered, and coverage then decides who pays the discounted price.
 */

const fields = { labor: 'laborPct', part: 'partsPct', fee: 'travelPct' } as const;

export function discountPctFor(kind: LineKind, contract: ContractVersion | null): Dec {
  if (!contract) return ZERO;
  const field = fields[kind];
  return parsePct(contract.discounts[field], ['contract', 'discounts', field]);
}

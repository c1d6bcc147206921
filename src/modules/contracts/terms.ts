import type { ContractVersion, CoverageTerms, Priority, SlaHours, WorkOrderType } from './version-schemas.js';

/** Pure readers of a version's terms, so callers never re-implement the fallbacks. */

/** The coverage terms for a work-order type, or null when the version does not cover that type. */
export function coverageFor(version: ContractVersion, type: WorkOrderType): CoverageTerms | null {
  return version.coverage[type] ?? null;
}

/** A priority's own SLA when the version sets one, else the version's general SLA; null without an SLA. */
export function slaFor(version: ContractVersion, priority: Priority): SlaHours | null {
  if (!version.sla) return null;
  const own = version.sla.byPriority[priority];
  return own ?? { responseHours: version.sla.responseHours, resolutionHours: version.sla.resolutionHours };
}

/** Whether a part of `category` falls under the terms' category rules (exclusions win over inclusions). */
export function categoryCovered(terms: CoverageTerms, category: string): boolean {
  if (terms.excludedCategories.includes(category)) return false;
  return terms.includedCategories === null || terms.includedCategories.includes(category);
}

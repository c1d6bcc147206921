import { HUNDRED, parsePct, ZERO } from './decimal.js';
import type { Dec } from './decimal.js';
import type { Reason } from './document-schema.js';
import {
  contractCategoryExcluded,
  contractCategoryNotIncluded,
  contractNotCovered,
  contractTypeNotCovered,
  noContract,
} from './explanations.js';
import type { ContractVersion, CoverageTerms, LineKind, WorkOrderType } from './input-schema.js';

/**
 * What share the contract's terms grant a line, before warranty precedence and caps. Terms are chosen by
 * work-order type; for parts, exclusions are checked before inclusions so an excluded category can never
 * be covered by accident.
 */

export interface ContractTermsDecision {
  pct: Dec;
  /** Why the contract grants nothing; null when pct > 0. */
  notCovered: Reason | null;
}

export function termsFor(contract: ContractVersion | null, type: WorkOrderType): CoverageTerms | null {
  return contract?.coverage[type] ?? null;
}

export function contractTermsFor(
  kind: LineKind,
  category: string | null,
  contract: ContractVersion | null,
  type: WorkOrderType,
): ContractTermsDecision {
  if (!contract) return { pct: ZERO, notCovered: noContract() };
  const terms = termsFor(contract, type);
  if (!terms) return { pct: ZERO, notCovered: contractTypeNotCovered(contract.number, type) };
  const path = ['contract', 'coverage', type];
  let pct: Dec;
  if (kind === 'labor') pct = parsePct(terms.laborCoveredPct, [...path, 'laborCoveredPct']);
  else if (kind === 'fee') pct = terms.travelCovered ? HUNDRED : ZERO;
  else {
    if (category !== null && terms.excludedCategories?.includes(category)) {
      return { pct: ZERO, notCovered: contractCategoryExcluded(category, contract.number) };
    }
    const included = terms.includedCategories;
    if (included && (category === null || !included.includes(category))) {
      return {
        pct: ZERO,
        notCovered: contractCategoryNotIncluded(category ?? '(none)', contract.number, included),
      };
    }
    pct = parsePct(terms.partsCoveredPct, [...path, 'partsCoveredPct']);
  }
  return { pct, notCovered: pct.isZero() ? contractNotCovered(kind, contract.number, type) : null };
}

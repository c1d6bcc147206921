import type { CapLedger } from './caps.js';
import { contractTermsFor } from './coverage.js';
import { D, HUNDRED, pctOf, plain, roundMinor, toMoney, unitPriceMoney, ZERO } from './decimal.js';
import type { Dec } from './decimal.js';
import { discountPctFor } from './discounts.js';
import type { PricedLine, Reason } from './document-schema.js';
import {
  capExhausted,
  capLimited,
  contractCovered,
  contractDiscount,
  contractSupersededByWarranty,
  warrantyCovered,
  warrantyExpired,
  warrantySupersededByContract,
} from './explanations.js';
import type { AssetWarranty, ContractVersion, WarrantyPrecedence, WorkOrderType } from './input-schema.js';
import type { LineDraft } from './line-draft.js';
import { warrantyStatus } from './warranty.js';

/**
 * The money pipeline of one line, in this order:
 *   gross    = round(quantity × unit price)
 *   discount = round(gross × discount %)
 *   base     = gross − discount
 *   coverage sources in precedence order, each taking its share of what is still uncovered:
 *     warranty: all of it; contract: round(uncovered × covered %), then limited by caps
 *   net      = base − covered
 * Every amount is rounded (or is a difference of rounded amounts), so the line is exact in minor units.
 */

export interface PricingContext {
  currency: string;
  date: string;
  workOrderType: WorkOrderType;
  contract: ContractVersion | null;
  warranties: Record<string, AssetWarranty> | undefined;
  precedence: WarrantyPrecedence;
  ledger: CapLedger;
}

interface Share {
  source: 'warranty' | 'contract';
  reference: string;
  amount: Dec;
}

const ORDER = {
  warranty_first: ['warranty', 'contract'],
  contract_first: ['contract', 'warranty'],
} as const;

export function priceLine(draft: LineDraft, lineNo: number, ctx: PricingContext): PricedLine {
  const { currency, contract } = ctx;
  const gross = roundMinor(draft.quantity.mul(draft.unitPrice), currency);
  const reasons: Reason[] = [...draft.reasons];
  if (!draft.billable)
    return assemble(draft, lineNo, ctx, { gross, discountPct: ZERO, base: gross, shares: [], reasons });

  const discountPct = discountPctFor(draft.kind, contract);
  const base = gross.minus(roundMinor(pctOf(gross, discountPct), currency));
  if (contract && !discountPct.isZero())
    reasons.push(contractDiscount(discountPct, draft.kind, contract.number));

  const warranty = warrantyStatus(draft.kind, draft.assetId, ctx.warranties, ctx.date);
  const terms = contractTermsFor(draft.kind, draft.category, contract, ctx.workOrderType);
  const shares: Share[] = [];
  let uncovered = base;
  for (const source of ORDER[ctx.precedence]) {
    if (source === 'warranty') {
      if (warranty.state !== 'covered') continue;
      if (uncovered.isZero() && !base.isZero() && contract) {
        reasons.push(warrantySupersededByContract(draft.kind, warranty.assetId, contract.number));
        continue;
      }
      if (!uncovered.isZero()) shares.push({ source, reference: warranty.assetId, amount: uncovered });
      uncovered = ZERO;
      reasons.push(warrantyCovered(draft.kind, warranty.assetId, warranty.until));
      continue;
    }
    if (terms.notCovered || !contract) {
      if (terms.notCovered) reasons.push(terms.notCovered);
      continue;
    }
    if (uncovered.isZero() && !base.isZero()) {
      reasons.push(contractSupersededByWarranty(draft.kind, contract.number));
      continue;
    }
    const desired = roundMinor(pctOf(uncovered, terms.pct), currency);
    const { granted, binding } = ctx.ledger.grant(draft.kind, desired);
    if (!granted.isZero() || !binding) {
      reasons.push(contractCovered(draft.kind, terms.pct, contract.number, ctx.workOrderType));
    }
    if (!granted.isZero()) shares.push({ source, reference: contract.number, amount: granted });
    if (binding) {
      const notice = { ...binding, currency };
      reasons.push(granted.isZero() ? capExhausted(draft.kind, notice) : capLimited(notice, granted));
    }
    uncovered = uncovered.minus(granted);
  }
  if (warranty.state === 'expired') {
    reasons.push(warrantyExpired(draft.kind, warranty.assetId, warranty.until, !uncovered.isZero()));
  }
  return assemble(draft, lineNo, ctx, { gross, discountPct, base, shares, reasons });
}

interface Amounts {
  gross: Dec;
  discountPct: Dec;
  base: Dec;
  shares: Share[];
  reasons: Reason[];
}

function assemble(draft: LineDraft, lineNo: number, ctx: PricingContext, a: Amounts): PricedLine {
  const { currency } = ctx;
  const covered = a.shares.reduce((sum, s) => sum.plus(s.amount), ZERO);
  // Truncated, not rounded, so 100 appears only when the line is fully covered (net exactly zero).
  const coveredPct = a.base.isZero()
    ? ZERO
    : covered.div(a.base).mul(HUNDRED).toDecimalPlaces(2, D.ROUND_DOWN);
  return {
    lineNo,
    kind: draft.kind,
    code: draft.code,
    description: draft.description,
    quantity: plain(draft.quantity),
    unit: draft.unit,
    unitPrice: unitPriceMoney(draft.unitPrice, currency),
    priceListId: draft.priceListId,
    grossAmount: toMoney(a.gross, currency),
    discountPct: plain(a.discountPct),
    discountAmount: toMoney(a.gross.minus(a.base), currency),
    coveredPct: plain(coveredPct),
    coveredAmount: toMoney(covered, currency),
    coverage: a.shares.map((s) => ({
      source: s.source,
      reference: s.reference,
      amount: toMoney(s.amount, currency),
    })),
    netAmount: toMoney(a.base.minus(covered), currency),
    taxCategory: draft.taxCategory,
    detail: draft.detail,
    reasons: a.reasons,
  };
}

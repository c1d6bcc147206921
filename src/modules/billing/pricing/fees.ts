import { D, parseQuantity, unitPriceMoney } from './decimal.js';
import { feeCallOut, feeDistance } from './explanations.js';
import type { PricingInput } from './input-schema.js';
import { originReason } from './line-draft.js';
import type { LineDraft } from './line-draft.js';
import { lookupFee } from './price-lookup.js';
import type { PriceBook } from './price-lookup.js';

/**
 * Travel: a flat call-out fee per visit and a per-km rate for the distance driven. Each is its own line so
 * the ERP can map them to separate products and the contract can cover them as travel.
 */
export function feeDrafts(input: PricingInput, book: PriceBook): LineDraft[] {
  const travel = input.workOrder.travel;
  if (!travel) return [];
  const drafts: LineDraft[] = [];
  const common = {
    kind: 'fee' as const,
    billable: true,
    assetId: null,
    category: null,
    taxCategory: input.policy.taxCategories.fee,
  };
  if (travel.callOut) {
    const price = lookupFee(book, 'callOutFee');
    drafts.push({
      ...common,
      code: 'call_out',
      description: 'Call-out fee',
      quantity: new D(1),
      unit: 'visit',
      unitPrice: price.unitPrice,
      priceListId: price.list.id,
      detail: { kind: 'fee', feeType: 'call_out' },
      reasons: [originReason(price, book.currency, 'visit'), feeCallOut()],
    });
  }
  const km =
    travel.distanceKm === undefined
      ? null
      : parseQuantity(travel.distanceKm, ['workOrder', 'travel', 'distanceKm'], true);
  if (km && !km.isZero()) {
    const price = lookupFee(book, 'perKmRate');
    drafts.push({
      ...common,
      code: 'travel_distance',
      description: `Travel ${km.toFixed()} km`,
      quantity: km,
      unit: 'km',
      unitPrice: price.unitPrice,
      priceListId: price.list.id,
      detail: { kind: 'fee', feeType: 'travel_distance' },
      reasons: [
        originReason(price, book.currency, 'km'),
        feeDistance(km, unitPriceMoney(price.unitPrice, book.currency).amount, book.currency),
      ],
    });
  }
  return drafts;
}

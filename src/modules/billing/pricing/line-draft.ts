import { parseQuantity, unitPriceMoney, ZERO } from './decimal.js';
import type { Dec } from './decimal.js';
import type { LineDetail, Reason } from './document-schema.js';
import { laborMinimum, laborNotBillable, laborRounded, priceOrigin } from './explanations.js';
import type { LineKind, PricingInput } from './input-schema.js';
import { billLaborMinutes, groupLaborEntries, minutesToHours } from './labor-rounding.js';
import { lookupItemPrice, lookupLaborRate } from './price-lookup.js';
import type { PriceBook, ResolvedPrice } from './price-lookup.js';

/** A line before money rules run: what was done or used, how much, and at what unit price. */
export interface LineDraft {
  kind: LineKind;
  code: string;
  description: string;
  quantity: Dec;
  unit: string;
  unitPrice: Dec;
  priceListId: string | null;
  /** False only for non-billable labor, which skips discounts and coverage. */
  billable: boolean;
  assetId: string | null;
  category: string | null;
  taxCategory: string;
  detail: LineDetail;
  reasons: Reason[];
}

export function originReason(price: ResolvedPrice, currency: string, unit: string): Reason {
  return priceOrigin({
    fromCustomerList: price.fromCustomerList,
    listId: price.list.id,
    unitPrice: unitPriceMoney(price.unitPrice, currency).amount,
    currency,
    unit,
  });
}

export function laborDrafts(input: PricingInput, book: PriceBook): LineDraft[] {
  const { policy } = input;
  return groupLaborEntries(input.workOrder).map((group): LineDraft => {
    const base = {
      kind: 'labor' as const,
      code: group.laborType,
      description: `Labor ${group.laborType}${group.assetId ? ` on asset ${group.assetId}` : ''}`,
      unit: 'h',
      assetId: group.assetId,
      category: null,
      taxCategory: policy.taxCategories.labor,
    };
    const detail = {
      kind: 'labor' as const,
      laborType: group.laborType,
      assetId: group.assetId,
      technicianIds: group.technicianIds,
      billable: group.billable,
      minutesWorked: group.minutes,
    };
    if (!group.billable) {
      return {
        ...base,
        quantity: minutesToHours(group.minutes),
        unitPrice: ZERO,
        priceListId: null,
        billable: false,
        detail: { ...detail, minutesBilled: 0 },
        reasons: [laborNotBillable(group.minutes)],
      };
    }
    const price = lookupLaborRate(book, group.laborType);
    const minutes = billLaborMinutes(group.minutes, policy);
    const reasons = [originReason(price, book.currency, 'h')];
    if (minutes.rounded > minutes.worked) {
      reasons.push(laborRounded(minutes.worked, minutes.rounded, policy.laborRoundingMinutes));
    }
    if (minutes.billed > minutes.rounded)
      reasons.push(laborMinimum(policy.laborMinimumMinutes, minutes.worked));
    return {
      ...base,
      quantity: minutesToHours(minutes.billed),
      unitPrice: price.unitPrice,
      priceListId: price.list.id,
      billable: true,
      detail: { ...detail, minutesBilled: minutes.billed },
      reasons,
    };
  });
}

export function partDrafts(input: PricingInput, book: PriceBook): LineDraft[] {
  const { workOrder, policy } = input;
  return workOrder.parts.map((part, index): LineDraft => {
    const quantity = parseQuantity(part.quantity, ['workOrder', 'parts', index, 'quantity']);
    const price = lookupItemPrice(book, part.itemId, part.sku);
    const unit = part.unit ?? 'pc';
    const assetId = part.assetId ?? workOrder.assetId ?? null;
    return {
      kind: 'part',
      code: part.itemId,
      description: part.description ?? part.sku,
      quantity,
      unit,
      unitPrice: price.unitPrice,
      priceListId: price.list.id,
      billable: true,
      assetId,
      category: part.category,
      taxCategory: part.taxCategory ?? policy.taxCategories.part,
      detail: {
        kind: 'part',
        itemId: part.itemId,
        sku: part.sku,
        category: part.category,
        assetId,
        partIndex: index,
      },
      reasons: [originReason(price, book.currency, unit)],
    };
  });
}

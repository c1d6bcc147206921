import { CapLedger } from './caps.js';
import { checkContractApplies } from './contract-checks.js';
import { documentDateOf } from './dates.js';
import { D, toMoney, ZERO } from './decimal.js';
import type { Dec } from './decimal.js';
import { explainDocument } from './document-explanation.js';
import type { DocumentTotals, PricedDocument, PricedLine } from './document-schema.js';
import { feeDrafts } from './fees.js';
import type { PricingInput } from './input-schema.js';
import { laborDrafts, partDrafts } from './line-draft.js';
import { priceLine } from './line-pricing.js';
import { resolvePriceBook } from './price-lookup.js';

/** Stamped on every document so a re-pricing can tell which rules produced it. */
export const PRICING_ENGINE_VERSION = 'fieldsync-pricing/1';

/**
 * Prices a completed work order. Pure and deterministic: no clock, no I/O, no randomness, and the input is
 * not modified, so pricing the same input twice yields deep-equal documents. Lines come in a fixed order
 * (labor groups by first entry, parts in input order, call-out, distance), which is also the order in which
 * caps are consumed. A document is produced even when it charges nothing.
 */
export function priceWorkOrder(input: PricingInput): PricedDocument {
  const { workOrder, contract, policy } = input;
  const date = documentDateOf(workOrder.completedAt);
  const book = resolvePriceBook(input);
  checkContractApplies(contract, workOrder, date);
  const ledger = new CapLedger(contract, input.capUsage, date, book.currency);
  const drafts = [...laborDrafts(input, book), ...partDrafts(input, book), ...feeDrafts(input, book)];
  const ctx = {
    currency: book.currency,
    date,
    workOrderType: workOrder.type,
    contract,
    warranties: input.warranties,
    precedence: policy.warrantyPrecedence,
    ledger,
  };
  const lines = drafts.map((draft, index) => priceLine(draft, index + 1, ctx));
  const totals = sumLines(lines, book.currency);
  const capConsumption = ledger.consumption(book.currency);
  const zeroAmount = new D(totals.net.amount).isZero();
  return {
    engine: PRICING_ENGINE_VERSION,
    workOrderId: workOrder.id,
    workOrderNumber: workOrder.number,
    workOrderType: workOrder.type,
    customerId: workOrder.customerId,
    documentDate: date,
    currency: book.currency,
    priceLists: { customer: book.customer?.id ?? null, default: book.default.id },
    contract: contract ? { id: contract.id, number: contract.number, version: contract.version } : null,
    warrantyPrecedence: policy.warrantyPrecedence,
    lines,
    totals,
    capConsumption,
    zeroAmount,
    explanation: explainDocument({
      workOrder,
      date,
      book,
      contract,
      precedence: policy.warrantyPrecedence,
      lines,
      totals,
      caps: capConsumption,
      zeroAmount,
    }),
  };
}

/** Totals are sums of the already rounded line amounts, so lines always add up to the document. */
function sumLines(lines: PricedLine[], currency: string): DocumentTotals {
  let gross: Dec = ZERO;
  let discount: Dec = ZERO;
  let contract: Dec = ZERO;
  let warranty: Dec = ZERO;
  let net: Dec = ZERO;
  for (const line of lines) {
    gross = gross.plus(line.grossAmount.amount);
    discount = discount.plus(line.discountAmount.amount);
    net = net.plus(line.netAmount.amount);
    for (const share of line.coverage) {
      if (share.source === 'contract') contract = contract.plus(share.amount.amount);
      else warranty = warranty.plus(share.amount.amount);
    }
  }
  return {
    gross: toMoney(gross, currency),
    discount: toMoney(discount, currency),
    covered: toMoney(contract.plus(warranty), currency),
    coveredByContract: toMoney(contract, currency),
    coveredByWarranty: toMoney(warranty, currency),
    net: toMoney(net, currency),
  };
}

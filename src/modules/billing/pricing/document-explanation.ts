import type { CapConsumption, DocumentTotals, PricedLine } from './document-schema.js';
import { workTypeWord } from './explanations.js';
import type { ContractVersion, PricingWorkOrder, WarrantyPrecedence } from './input-schema.js';
import type { PriceBook } from './price-lookup.js';

/** The document-level story: which lists and contract were used, the totals, the caps, and why zero is zero. */

const m = (money: { amount: string; currency: string }) => `${money.amount} ${money.currency}`;

export function explainDocument(args: {
  workOrder: PricingWorkOrder;
  date: string;
  book: PriceBook;
  contract: ContractVersion | null;
  precedence: WarrantyPrecedence;
  lines: PricedLine[];
  totals: DocumentTotals;
  caps: CapConsumption[];
  zeroAmount: boolean;
}): string[] {
  const { workOrder, book, contract, totals } = args;
  const lists = book.customer
    ? `customer price list ${book.customer.id} and default price list ${book.default.id}`
    : `default price list ${book.default.id}`;
  const out = [
    `Work order ${workOrder.number} (${workTypeWord(workOrder.type)}) completed on ${args.date}, priced in ${book.currency} with ${lists}.`,
  ];
  if (contract) {
    const order =
      args.precedence === 'warranty_first'
        ? 'warranty pays before the contract'
        : 'the contract pays before warranty';
    out.push(`Contract ${contract.number} version ${contract.version} in force; ${order}.`);
  } else {
    out.push('No service contract in force; only warranty can cover.');
  }
  out.push(
    `${args.lines.length} line${args.lines.length === 1 ? '' : 's'}: gross ${m(totals.gross)}, discount ${m(totals.discount)}, ` +
      `covered ${m(totals.covered)} (contract ${m(totals.coveredByContract)}, warranty ${m(totals.coveredByWarranty)}), net ${m(totals.net)}.`,
  );
  for (const cap of args.caps) {
    out.push(
      `Cap ${cap.capId} (${cap.periodKey}): ${m(cap.consumedByDocument)} consumed by this document, ` +
        `${m(cap.remaining)} of ${m(cap.limit)} left${cap.exhausted ? ' (exhausted)' : ''}.`,
    );
  }
  if (args.zeroAmount) out.push(zeroSentence(args));
  return out;
}

function isZero(amount: string): boolean {
  return /^0(\.0+)?$/.test(amount);
}

function zeroSentence(args: {
  lines: PricedLine[];
  contract: ContractVersion | null;
  totals: DocumentTotals;
}): string {
  if (args.lines.length === 0) return 'Nothing to charge: no work, parts or travel were recorded.';
  const payers: string[] = [];
  if (!isZero(args.totals.coveredByContract.amount) && args.contract)
    payers.push(`contract ${args.contract.number}`);
  if (!isZero(args.totals.coveredByWarranty.amount)) payers.push('warranty');
  if (payers.length === 0)
    return 'Nothing to charge: every line is free of charge; the document records the service delivered.';
  return `Nothing to charge: the document records service delivered under ${payers.join(' and ')}.`;
}

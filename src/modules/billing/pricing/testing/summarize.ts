import type { PricedDocument } from '../document-schema.js';

/** Compact views of a priced document for table-driven assertions and the documentation tables. */

export interface LineSummary {
  code: string;
  qty: string;
  unitPrice: string;
  gross: string;
  discount: string;
  covered: string;
  net: string;
  reasons: string[];
}

export function summarizeLines(doc: PricedDocument): LineSummary[] {
  return doc.lines.map((l) => ({
    code: l.code,
    qty: l.quantity,
    unitPrice: l.unitPrice.amount,
    gross: l.grossAmount.amount,
    discount: l.discountAmount.amount,
    covered: l.coveredAmount.amount,
    net: l.netAmount.amount,
    reasons: l.reasons.map((r) => r.code),
  }));
}

export function totalsRow(doc: PricedDocument): Record<string, string> {
  const t = doc.totals;
  return { gross: t.gross.amount, discount: t.discount.amount, covered: t.covered.amount, net: t.net.amount };
}

/** The markdown table docs/billing.md shows for a worked example; a test checks the page contains it verbatim. */
export function renderMarkdownTable(doc: PricedDocument): string {
  const rows = [
    '| # | line | qty | unit price | gross | discount | covered | net | reasons |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const l of doc.lines) {
    rows.push(
      `| ${l.lineNo} | ${l.description} | ${l.quantity} ${l.unit} | ${l.unitPrice.amount} | ${l.grossAmount.amount} | ` +
        `${l.discountAmount.amount} | ${l.coveredAmount.amount} | ${l.netAmount.amount} | ` +
        `${l.reasons.map((r) => `\`${r.code}\``).join(' ')} |`,
    );
  }
  const t = doc.totals;
  rows.push(
    `| | **total ${doc.currency}** | | | **${t.gross.amount}** | **${t.discount.amount}** | **${t.covered.amount}** | **${t.net.amount}** | |`,
  );
  return rows.join('\n');
}

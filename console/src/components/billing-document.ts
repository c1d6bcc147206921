import { badge, h, table } from '../dom.js';
import type { Money } from '../format.js';
import { money, statusTone } from '../format.js';

export interface BillingLine {
  lineNo: number;
  kind: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: Money;
  grossAmount: Money;
  discountPct: string;
  discountAmount: Money;
  coveredPct: string;
  coveredAmount: Money;
  netAmount: Money;
  reasons: { code: string; text: string }[];
}

export interface BillingDocument {
  id: string;
  number: string;
  kind: string;
  status: string;
  documentDate: string;
  currency: string;
  contract: { number: string } | null;
  totals: {
    gross: Money;
    discount: Money;
    covered: Money;
    coveredByContract: Money;
    coveredByWarranty: Money;
    net: Money;
  };
  explanation: string[];
  lines: BillingLine[];
  erpNumber: string | null;
}

/** A billing document as the pricing engine explains it: the story, the totals, and each line's reasons. */
export function billingDocument(doc: BillingDocument): HTMLElement {
  const t = doc.totals;
  return h(
    'article',
    { class: 'card', 'data-testid': `billing-${doc.number}` },
    h(
      'h3',
      {},
      `${doc.number} `,
      badge(doc.status, statusTone(doc.status)),
      ' ',
      h('small', {}, `${doc.documentDate}${doc.erpNumber ? ` · ERP ${doc.erpNumber}` : ''}`),
    ),
    h('ul', { class: 'explanation' }, ...doc.explanation.map((s) => h('li', {}, s))),
    h(
      'div',
      { class: 'tiles' },
      ...[
        ['Gross', t.gross],
        ['Discount', t.discount],
        ['Covered', t.covered],
        ['Net', t.net],
      ].map(([label, m]) =>
        h('div', { class: 'tile' }, h('span', {}, String(label)), h('strong', {}, money(m as Money))),
      ),
    ),
    table(
      ['#', 'Line', 'Quantity', 'Unit price', 'Gross', 'Discount', 'Covered', 'Net', 'Why'],
      doc.lines,
      (l) => [
        String(l.lineNo),
        h('span', {}, badge(l.kind), ' ', l.description),
        `${l.quantity} ${l.unit}`,
        money(l.unitPrice),
        money(l.grossAmount),
        l.discountPct === '0' ? '—' : `${l.discountPct} % (${money(l.discountAmount)})`,
        l.coveredPct === '0' ? '—' : `${l.coveredPct} % (${money(l.coveredAmount)})`,
        h('strong', {}, money(l.netAmount)),
        h('ul', { class: 'plain reasons' }, ...l.reasons.map((r) => h('li', { title: r.code }, r.text))),
      ],
      'No lines: nothing was recorded to charge.',
    ),
  );
}

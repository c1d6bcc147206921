import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PricingInput } from './input-schema.js';
import { priceWorkOrder } from './price-work-order.js';
import { reasonCodes } from './reason-codes.js';
import { baseInput, workOrder } from './testing/fixtures.js';
import { renderMarkdownTable, totalsRow } from './testing/summarize.js';

/**
 * The worked examples of docs/billing.md. Each example's table is rendered from the engine's output and
 * must appear verbatim in the page, so the documentation cannot drift from what the code computes.
 */

const docsPage = readFileSync(new URL('../../../../docs/billing.md', import.meta.url), 'utf8');

const labor = (technicianId: string, laborType: string, minutes: number, billable = true) => ({
  technicianId,
  laborType,
  minutes,
  billable,
});

const examples: Record<
  string,
  { input: () => PricingInput; totals: Record<string, string>; sentences: string[] }
> = {
  'Example 1': {
    input: () =>
      baseInput({
        workOrder: workOrder({
          number: 'WO-2001',
          labor: [labor('t1', 'standard', 52)],
          parts: [
            {
              itemId: 'itm-filter',
              sku: 'FLT-10',
              category: 'filters',
              quantity: '2',
              description: 'Air filter',
            },
          ],
          travel: { callOut: true, distanceKm: '18' },
        }),
      }),
    totals: { gross: '175.40', discount: '4.40', covered: '171.00', net: '0.00' },
    sentences: [
      'parts covered 100% by contract C-1042, preventive maintenance',
      '10% contract discount on parts (contract C-1042)',
      'Nothing to charge: the document records service delivered under contract C-1042.',
    ],
  },
  'Example 2': {
    input: () =>
      baseInput({
        workOrder: workOrder({
          number: 'WO-2002',
          type: 'corrective',
          completedAt: '2026-03-20T10:05:00+01:00',
          labor: [labor('t1', 'standard', 40), labor('t2', 'standard', 30)],
          parts: [
            { itemId: 'itm-belt', sku: 'BLT-3', category: 'belts', quantity: '1', description: 'Drive belt' },
          ],
          travel: { callOut: true },
        }),
        warranties: { 'ast-77': { partsUntil: '2027-06-30', laborUntil: '2026-02-28' } },
      }),
    totals: { gross: '175.00', discount: '4.00', covered: '81.00', net: '90.00' },
    sentences: [
      'labor charged: asset ast-77 out of warranty since 2026-03-01',
      'labor covered 50% by contract C-1042, corrective maintenance',
      'parts covered by warranty of asset ast-77 (valid until 2027-06-30)',
    ],
  },
  'Example 3': {
    input: () => {
      const input = baseInput({
        workOrder: workOrder({
          number: 'WO-2003',
          completedAt: '2026-11-05T14:00:00+01:00',
          labor: [labor('t1', 'standard', 10)],
          parts: [
            {
              itemId: 'itm-filter',
              sku: 'FLT-10',
              category: 'filters',
              quantity: '2',
              description: 'Air filter',
            },
            {
              itemId: 'itm-belt',
              sku: 'BLT-3',
              category: 'belts',
              quantity: '1',
              description: 'Drive belt',
              assetId: 'ast-88',
            },
          ],
        }),
        warranties: { 'ast-88': { partsUntil: '2026-12-31', laborUntil: null } },
        capUsage: [
          { capId: 'parts-2026', periodKey: '2026', consumed: { amount: '470.00', currency: 'EUR' } },
        ],
      });
      input.policy.warrantyPrecedence = 'contract_first';
      input.contract!.caps = [
        {
          id: 'parts-2026',
          description: 'parts per calendar year',
          period: 'year',
          limit: { amount: '500.00', currency: 'EUR' },
          appliesTo: ['part'],
        },
      ];
      return input;
    },
    totals: { gross: '120.00', discount: '8.40', covered: '102.00', net: '9.60' },
    sentences: [
      'contract coverage limited to 30.00 EUR by cap parts-2026 (2026, 470.00 EUR of 500.00 EUR used before this line)',
      'Cap parts-2026 (2026): 30.00 EUR consumed by this document, 0.00 EUR of 500.00 EUR left (exhausted).',
    ],
  },
  'Example 4': {
    input: () =>
      baseInput({
        contract: null,
        workOrder: workOrder({
          number: 'WO-2004',
          type: 'inspection',
          completedAt: '2026-04-02T09:00:00+02:00',
          labor: [labor('t3', 'specialist', 50), labor('t4', 'standard', 20, false)],
          parts: [
            {
              itemId: 'itm-screw',
              sku: 'SCR-4',
              category: 'fasteners',
              quantity: '250',
              description: 'Screw M4',
            },
          ],
          travel: { callOut: false, distanceKm: '12.5' },
        }),
      }),
    totals: { gross: '133.13', discount: '0.00', covered: '0.00', net: '133.13' },
    sentences: ['labor recorded as not billable: 20 minutes shown at no charge'],
  },
};

describe('docs/billing.md worked examples', () => {
  for (const [name, example] of Object.entries(examples)) {
    it(`${name}: the engine's numbers are the page's numbers`, () => {
      const doc = priceWorkOrder(example.input());
      expect(totalsRow(doc)).toEqual(example.totals);
      const table = renderMarkdownTable(doc);
      if (process.env.PRINT_EXAMPLES) console.log(`${name}\n${table}\n${doc.explanation.join('\n')}\n`);
      expect(docsPage).toContain(table);
      const texts = [...doc.lines.flatMap((l) => l.reasons.map((r) => r.text)), ...doc.explanation];
      for (const sentence of example.sentences) {
        expect(texts).toContain(sentence);
        expect(docsPage).toContain(sentence);
      }
    });
  }

  it('the reason code table lists every code, and every example text is one the engine writes', () => {
    for (const code of reasonCodes) expect(docsPage).toContain(`| \`${code}\` |`);
    const rows = [...docsPage.matchAll(/^\| `([a-z_]+)` \| [^|]+ \| (.+) \|$/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual([...reasonCodes].sort());
    const written = new Set<string>();
    const collect = (input: PricingInput) => {
      for (const line of priceWorkOrder(input).lines)
        for (const r of line.reasons) written.add(`${r.code}|${r.text}`);
    };
    for (const example of Object.values(examples)) collect(example.input());
    const parts = [
      { itemId: 'itm-oil', sku: 'OIL-5', category: 'consumables', quantity: '1' },
      { itemId: 'itm-belt', sku: 'BLT-3', category: 'belts', quantity: '1' },
    ];
    const inWarranty = { 'ast-77': { partsUntil: '2026-12-31', laborUntil: null } };
    collect(baseInput({ workOrder: workOrder({ type: 'installation', parts }) }));
    collect(baseInput({ workOrder: workOrder({ parts }), warranties: inWarranty }));
    const included = baseInput({ workOrder: workOrder({ parts }) });
    included.contract!.coverage.preventive!.includedCategories = ['filters'];
    collect(included);
    const contractFirst = baseInput({ workOrder: workOrder({ parts }), warranties: inWarranty });
    contractFirst.policy.warrantyPrecedence = 'contract_first';
    collect(contractFirst);
    for (const [, code, text] of rows) expect(written).toContain(`${code}|${text}`);
  });
});

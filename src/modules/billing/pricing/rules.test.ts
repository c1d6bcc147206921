import { describe, expect, it } from 'vitest';
import type { PricingInput } from './input-schema.js';
import { priceWorkOrder } from './price-work-order.js';
import { baseInput, workOrder } from './testing/fixtures.js';
import { summarizeLines } from './testing/summarize.js';
import type { LineSummary } from './testing/summarize.js';

/**
 * One table per rule, each case priced end to end through priceWorkOrder. The base input is customer ACME
 * (own list ACME-2026, default list STD-2026), contract C-1042 (preventive: 100% labor/parts/travel except
 * consumables; corrective: 50% labor, 0% parts; 10% parts discount), started 15 min, 30 min minimum.
 */

interface Case {
  name: string;
  input: PricingInput;
  lines: Partial<LineSummary>[];
}

function run(cases: Case[]): void {
  it.each(cases)('$name', ({ input, lines }) => {
    const doc = priceWorkOrder(input);
    const actual = summarizeLines(doc);
    expect(actual).toHaveLength(lines.length);
    lines.forEach((expected, i) => expect(actual[i]).toMatchObject(expected));
  });
}

const standard = (minutes: number, extra: object = {}) => ({
  technicianId: 't1',
  laborType: 'standard',
  minutes,
  billable: true,
  ...extra,
});
const filter = (quantity = '2', extra: object = {}) => ({
  itemId: 'itm-filter',
  sku: 'FLT-10',
  category: 'filters',
  quantity,
  ...extra,
});
const belt = (extra: object = {}) => ({
  itemId: 'itm-belt',
  sku: 'BLT-3',
  category: 'belts',
  quantity: '1',
  ...extra,
});
const noContract = (wo: Parameters<typeof workOrder>[0]) =>
  baseInput({ contract: null, workOrder: workOrder(wo) });

describe('labor rounding and minimum charge', () => {
  run([
    {
      name: 'rounds up to the started 15 minutes',
      input: noContract({ labor: [standard(52)] }),
      lines: [
        {
          qty: '1',
          gross: '72.00',
          net: '72.00',
          reasons: ['price_customer_list', 'labor_rounded', 'no_contract'],
        },
      ],
    },
    {
      name: 'exact increments are not rounded',
      input: noContract({ labor: [standard(45)] }),
      lines: [{ qty: '0.75', gross: '54.00', reasons: ['price_customer_list', 'no_contract'] }],
    },
    {
      name: 'the minimum applies after rounding',
      input: noContract({ labor: [standard(10)] }),
      lines: [
        {
          qty: '0.5',
          gross: '36.00',
          reasons: ['price_customer_list', 'labor_rounded', 'labor_minimum', 'no_contract'],
        },
      ],
    },
    {
      name: 'entries of one labor type are summed before rounding',
      input: noContract({ labor: [standard(10), standard(10, { technicianId: 't2' })] }),
      lines: [{ qty: '0.5', gross: '36.00' }],
    },
    {
      name: 'per-minute billing converts to hours at 3 decimals',
      input: {
        ...noContract({ labor: [standard(50)] }),
        policy: { ...baseInput().policy, laborRoundingMinutes: 0, laborMinimumMinutes: 0 },
      },
      lines: [{ qty: '0.833', gross: '59.98', reasons: ['price_customer_list', 'no_contract'] }],
    },
    {
      name: 'a labor type missing from the customer list falls back to the default list',
      input: noContract({ labor: [{ ...standard(60), laborType: 'specialist' }] }),
      lines: [
        {
          code: 'specialist',
          unitPrice: '120.00',
          gross: '120.00',
          reasons: ['price_default_list', 'no_contract'],
        },
      ],
    },
    {
      name: 'non-billable labor is shown at no charge and skips rounding and minimum',
      input: noContract({ labor: [standard(20, { billable: false })] }),
      lines: [
        { qty: '0.333', unitPrice: '0.00', gross: '0.00', net: '0.00', reasons: ['labor_not_billable'] },
      ],
    },
    {
      name: 'zero billable minutes bill nothing, not the minimum',
      input: noContract({ labor: [standard(0)] }),
      lines: [{ qty: '0', gross: '0.00', reasons: ['price_customer_list', 'no_contract'] }],
    },
  ]);
});

describe('price lists', () => {
  run([
    {
      name: 'customer override wins, default list fills the gaps',
      input: noContract({ parts: [filter('2'), belt()] }),
      lines: [
        {
          code: 'itm-filter',
          unitPrice: '22.00',
          gross: '44.00',
          reasons: ['price_customer_list', 'no_contract'],
        },
        {
          code: 'itm-belt',
          unitPrice: '40.00',
          gross: '40.00',
          reasons: ['price_default_list', 'no_contract'],
        },
      ],
    },
    {
      name: 'without a customer list every price comes from the default list',
      input: {
        ...noContract({ parts: [filter('2')] }),
        priceLists: { default: baseInput().priceLists.default },
      },
      lines: [{ unitPrice: '25.00', gross: '50.00', reasons: ['price_default_list', 'no_contract'] }],
    },
    {
      name: 'unit prices finer than a cent are kept and the line is rounded half away from zero',
      input: noContract({
        parts: [{ itemId: 'itm-screw', sku: 'SCR-4', category: 'fasteners', quantity: '250' }],
      }),
      lines: [{ unitPrice: '0.0125', gross: '3.13', net: '3.13' }],
    },
    {
      name: 'an explicit zero price is a price, not a missing one',
      input: (() => {
        const input = noContract({ parts: [belt()] });
        input.priceLists.customer!.items['itm-belt'] = '0';
        return input;
      })(),
      lines: [
        { unitPrice: '0.00', gross: '0.00', net: '0.00', reasons: ['price_customer_list', 'no_contract'] },
      ],
    },
  ]);
});

describe('call-out and travel fees', () => {
  run([
    {
      name: 'call-out fee and distance are separate fee lines',
      input: noContract({ travel: { callOut: true, distanceKm: '18.5' } }),
      lines: [
        {
          code: 'call_out',
          qty: '1',
          gross: '45.00',
          reasons: ['price_default_list', 'fee_call_out', 'no_contract'],
        },
        {
          code: 'travel_distance',
          qty: '18.5',
          gross: '14.80',
          reasons: ['price_default_list', 'fee_distance', 'no_contract'],
        },
      ],
    },
    {
      name: 'zero distance adds no line',
      input: noContract({ travel: { callOut: false, distanceKm: '0' } }),
      lines: [],
    },
    {
      name: 'travel is covered when the terms say so',
      input: baseInput({ workOrder: workOrder({ travel: { callOut: true } }) }),
      lines: [
        {
          gross: '45.00',
          covered: '45.00',
          net: '0.00',
          reasons: ['price_default_list', 'fee_call_out', 'contract_covered'],
        },
      ],
    },
    {
      name: 'travel is charged when the terms do not cover it',
      input: baseInput({ workOrder: workOrder({ type: 'corrective', travel: { callOut: true } }) }),
      lines: [
        {
          covered: '0.00',
          net: '45.00',
          reasons: ['price_default_list', 'fee_call_out', 'contract_not_covered'],
        },
      ],
    },
  ]);
});

describe('contract coverage by work-order type and category', () => {
  run([
    {
      name: 'preventive: labor and parts covered 100%, parts after the 10% discount',
      input: baseInput({ workOrder: workOrder({ labor: [standard(60)], parts: [filter('2')] }) }),
      lines: [
        {
          gross: '72.00',
          discount: '0.00',
          covered: '72.00',
          net: '0.00',
          reasons: ['price_customer_list', 'contract_covered'],
        },
        {
          gross: '44.00',
          discount: '4.40',
          covered: '39.60',
          net: '0.00',
          reasons: ['price_customer_list', 'contract_discount', 'contract_covered'],
        },
      ],
    },
    {
      name: 'corrective: labor covered 50%, parts not covered but discounted',
      input: baseInput({
        workOrder: workOrder({ type: 'corrective', labor: [standard(60)], parts: [belt()] }),
      }),
      lines: [
        {
          gross: '72.00',
          covered: '36.00',
          net: '36.00',
          reasons: ['price_customer_list', 'contract_covered'],
        },
        {
          gross: '40.00',
          discount: '4.00',
          covered: '0.00',
          net: '36.00',
          reasons: ['price_default_list', 'contract_discount', 'contract_not_covered'],
        },
      ],
    },
    {
      name: 'a work-order type without terms is not covered; discounts still apply',
      input: baseInput({
        workOrder: workOrder({ type: 'installation', labor: [standard(60)], parts: [belt()] }),
      }),
      lines: [
        { net: '72.00', reasons: ['price_customer_list', 'contract_type_not_covered'] },
        {
          discount: '4.00',
          net: '36.00',
          reasons: ['price_default_list', 'contract_discount', 'contract_type_not_covered'],
        },
      ],
    },
    {
      name: 'an excluded category is charged',
      input: baseInput({
        workOrder: workOrder({
          parts: [{ itemId: 'itm-oil', sku: 'OIL-5', category: 'consumables', quantity: '1.5' }],
        }),
      }),
      lines: [
        {
          gross: '18.75',
          discount: '1.88',
          covered: '0.00',
          net: '16.87',
          reasons: ['price_default_list', 'contract_discount', 'contract_category_excluded'],
        },
      ],
    },
    {
      name: 'with included categories, only those are covered',
      input: (() => {
        const input = baseInput({ workOrder: workOrder({ parts: [filter('1'), belt()] }) });
        input.contract!.coverage.preventive!.includedCategories = ['filters'];
        return input;
      })(),
      lines: [
        {
          covered: '19.80',
          net: '0.00',
          reasons: ['price_customer_list', 'contract_discount', 'contract_covered'],
        },
        {
          covered: '0.00',
          net: '36.00',
          reasons: ['price_default_list', 'contract_discount', 'contract_category_not_included'],
        },
      ],
    },
    {
      name: 'a fractional covered share is rounded per line',
      input: (() => {
        const input = baseInput({ workOrder: workOrder({ labor: [standard(60)] }) });
        input.contract!.coverage.preventive!.laborCoveredPct = '33.33';
        return input;
      })(),
      lines: [{ gross: '72.00', covered: '24.00', net: '48.00' }],
    },
  ]);
});

describe('contract discounts', () => {
  run([
    {
      name: 'labor, parts and travel discounts each apply to their kind',
      input: (() => {
        const input = baseInput({
          workOrder: workOrder({
            type: 'installation',
            labor: [standard(60)],
            parts: [filter('1')],
            travel: { callOut: true },
          }),
        });
        input.contract!.discounts = { laborPct: '15', partsPct: '12.5', travelPct: '5' };
        return input;
      })(),
      lines: [
        {
          gross: '72.00',
          discount: '10.80',
          net: '61.20',
          reasons: ['price_customer_list', 'contract_discount', 'contract_type_not_covered'],
        },
        { gross: '22.00', discount: '2.75', net: '19.25' },
        { gross: '45.00', discount: '2.25', net: '42.75' },
      ],
    },
    {
      name: 'no contract means no discount',
      input: noContract({ parts: [filter('1')] }),
      lines: [{ discount: '0.00', net: '22.00' }],
    },
  ]);
});

describe('warranty, parts and labor separately', () => {
  const withWarranty = (
    wo: Parameters<typeof workOrder>[0],
    partsUntil: string | null,
    laborUntil: string | null,
  ) => ({
    ...noContract(wo),
    warranties: { 'ast-77': { partsUntil, laborUntil } },
  });
  run([
    {
      name: 'parts under warranty are covered while labor out of warranty is charged',
      input: withWarranty({ labor: [standard(60)], parts: [belt()] }, '2026-12-31', '2026-02-28'),
      lines: [
        {
          covered: '0.00',
          net: '72.00',
          reasons: ['price_customer_list', 'no_contract', 'warranty_expired'],
        },
        { covered: '40.00', net: '0.00', reasons: ['price_default_list', 'warranty_covered', 'no_contract'] },
      ],
    },
    {
      name: 'the until date is the last covered day',
      input: withWarranty({ completedAt: '2026-03-14T08:00:00Z', labor: [standard(60)] }, null, '2026-03-14'),
      lines: [
        {
          covered: '72.00',
          net: '0.00',
          reasons: ['price_customer_list', 'warranty_covered', 'no_contract'],
        },
      ],
    },
    {
      name: 'the document date is the local date written in completedAt',
      input: withWarranty(
        { completedAt: '2026-02-28T23:30:00-05:00', labor: [standard(60)] },
        null,
        '2026-02-28',
      ),
      lines: [{ net: '0.00', reasons: ['price_customer_list', 'warranty_covered', 'no_contract'] }],
    },
    {
      name: 'a part fitted to another asset uses that asset’s warranty',
      input: withWarranty({ parts: [belt({ assetId: 'ast-99' })] }, '2026-12-31', null),
      lines: [{ net: '40.00', reasons: ['price_default_list', 'no_contract'] }],
    },
    {
      name: 'a labor entry on another asset uses that asset’s warranty',
      input: withWarranty({ labor: [standard(60, { assetId: 'ast-99' })] }, null, '2026-12-31'),
      lines: [{ net: '72.00', reasons: ['price_customer_list', 'no_contract'] }],
    },
    {
      name: 'travel is never warranty work',
      input: withWarranty({ travel: { callOut: true } }, '2026-12-31', '2026-12-31'),
      lines: [{ net: '45.00', reasons: ['price_default_list', 'fee_call_out', 'no_contract'] }],
    },
  ]);

  it('words an expired warranty as the day coverage ended', () => {
    const doc = priceWorkOrder(withWarranty({ labor: [standard(60)] }, null, '2026-02-28'));
    expect(doc.lines[0]?.reasons.at(-1)?.text).toBe(
      'labor charged: asset ast-77 out of warranty since 2026-03-01',
    );
  });
});

describe('tax category hints and currencies', () => {
  it('tags each line kind with the policy hint; a part can override it', () => {
    const doc = priceWorkOrder(
      noContract({
        labor: [standard(60)],
        parts: [filter('1'), belt({ taxCategory: 'goods-reduced' })],
        travel: { callOut: true },
      }),
    );
    expect(doc.lines.map((l) => l.taxCategory)).toEqual(['services', 'goods', 'goods-reduced', 'services']);
  });

  it('rounds to the currency’s minor unit: JPY has none, KWD has three', () => {
    const jpy = noContract({ parts: [{ ...belt(), quantity: '1.5' }] });
    jpy.priceLists = {
      default: { ...jpy.priceLists.default, currency: 'JPY', items: { 'itm-belt': '333' } },
    };
    const yen = priceWorkOrder(jpy);
    expect(yen.lines[0]?.grossAmount).toEqual({ amount: '500', currency: 'JPY' });
    expect(yen.totals.net).toEqual({ amount: '500', currency: 'JPY' });

    const kwd = noContract({ parts: [{ ...belt(), quantity: '0.333' }] });
    kwd.priceLists = {
      default: { ...kwd.priceLists.default, currency: 'KWD', items: { 'itm-belt': '1.5' } },
    };
    expect(priceWorkOrder(kwd).lines[0]?.grossAmount).toEqual({ amount: '0.500', currency: 'KWD' });
  });

  it('puts the document currency on every amount', () => {
    const doc = priceWorkOrder(
      baseInput({ workOrder: workOrder({ labor: [standard(60)], parts: [belt()] }) }),
    );
    for (const line of doc.lines) {
      for (const money of [
        line.unitPrice,
        line.grossAmount,
        line.discountAmount,
        line.coveredAmount,
        line.netAmount,
      ]) {
        expect(money.currency).toBe('EUR');
      }
    }
  });
});

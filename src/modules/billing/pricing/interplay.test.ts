import { describe, expect, it } from 'vitest';
import type { ContractCap, PricingInput, WarrantyPrecedence } from './input-schema.js';
import { priceWorkOrder } from './price-work-order.js';
import { baseInput, workOrder } from './testing/fixtures.js';
import { summarizeLines } from './testing/summarize.js';

/**
 * Warranty + contract + discount + cap together. Shared scene: preventive work order on asset ast-77 for
 * ACME under contract C-1042 (100% labor/parts/travel, 10% parts discount), one hour of labor (72.00) and
 * two filters (44.00 gross, 4.40 discount, 39.60 to cover), optionally a belt (40.00, 4.00, 36.00).
 */

const partsCap = (limit: string): ContractCap => ({
  id: 'parts-2026',
  description: 'parts per calendar year',
  period: 'year',
  limit: { amount: limit, currency: 'EUR' },
  appliesTo: ['part'],
});

function scene(opts: {
  precedence: WarrantyPrecedence;
  partsUntil?: string | null;
  laborUntil?: string | null;
  caps?: ContractCap[];
  usedThisYear?: string;
  withBelt?: boolean;
  type?: 'preventive' | 'corrective';
}): PricingInput {
  const input = baseInput({
    workOrder: workOrder({
      type: opts.type ?? 'preventive',
      labor: [{ technicianId: 't1', laborType: 'standard', minutes: 60, billable: true }],
      parts: [
        { itemId: 'itm-filter', sku: 'FLT-10', category: 'filters', quantity: '2' },
        ...(opts.withBelt ? [{ itemId: 'itm-belt', sku: 'BLT-3', category: 'belts', quantity: '1' }] : []),
      ],
    }),
    warranties: { 'ast-77': { partsUntil: opts.partsUntil ?? null, laborUntil: opts.laborUntil ?? null } },
    capUsage: opts.usedThisYear
      ? [{ capId: 'parts-2026', periodKey: '2026', consumed: { amount: opts.usedThisYear, currency: 'EUR' } }]
      : [],
  });
  input.policy.warrantyPrecedence = opts.precedence;
  input.contract!.caps = opts.caps ?? [];
  return input;
}

const shares = (doc: ReturnType<typeof priceWorkOrder>) =>
  doc.lines.map((l) => l.coverage.map((s) => `${s.source}:${s.amount.amount}`).join(' '));

describe('warranty precedence decides who pays and whether the cap is consumed', () => {
  it('warranty_first: warranty pays the parts, the contract cap is untouched', () => {
    const doc = priceWorkOrder(
      scene({ precedence: 'warranty_first', partsUntil: '2026-12-31', caps: [partsCap('500.00')] }),
    );
    expect(shares(doc)).toEqual(['contract:72.00', 'warranty:39.60']);
    expect(summarizeLines(doc)[1]?.reasons).toEqual([
      'price_customer_list',
      'contract_discount',
      'warranty_covered',
      'contract_superseded_by_warranty',
    ]);
    expect(doc.capConsumption[0]).toMatchObject({
      consumedByDocument: { amount: '0.00' },
      remaining: { amount: '500.00' },
    });
    expect(doc.totals).toMatchObject({ coveredByWarranty: { amount: '39.60' }, net: { amount: '0.00' } });
  });

  it('contract_first: the contract pays and consumes the cap; warranty is not claimed', () => {
    const doc = priceWorkOrder(
      scene({ precedence: 'contract_first', partsUntil: '2026-12-31', caps: [partsCap('500.00')] }),
    );
    expect(shares(doc)).toEqual(['contract:72.00', 'contract:39.60']);
    expect(summarizeLines(doc)[1]?.reasons).toEqual([
      'price_customer_list',
      'contract_discount',
      'contract_covered',
      'warranty_superseded_by_contract',
    ]);
    expect(doc.capConsumption[0]).toMatchObject({
      consumedByDocument: { amount: '39.60' },
      remaining: { amount: '460.40' },
    });
  });

  it('contract_first with a partly used cap: the contract pays up to the cap, warranty pays the rest', () => {
    const doc = priceWorkOrder(
      scene({
        precedence: 'contract_first',
        partsUntil: '2026-12-31',
        caps: [partsCap('500.00')],
        usedThisYear: '470.00',
        withBelt: true,
      }),
    );
    expect(shares(doc)).toEqual(['contract:72.00', 'contract:30.00 warranty:9.60', 'warranty:36.00']);
    expect(summarizeLines(doc).map((l) => l.reasons.slice(2))).toEqual([
      [],
      ['contract_covered', 'cap_limited', 'warranty_covered'],
      ['cap_exhausted', 'warranty_covered'],
    ]);
    expect(doc.totals.net.amount).toBe('0.00');
    expect(doc.zeroAmount).toBe(true);
    expect(doc.capConsumption[0]).toMatchObject({
      periodKey: '2026',
      consumedBefore: { amount: '470.00' },
      consumedByDocument: { amount: '30.00' },
      consumedAfter: { amount: '500.00' },
      remaining: { amount: '0.00' },
      exhausted: true,
    });
  });

  it('without warranty the capped remainder is charged to the customer', () => {
    const doc = priceWorkOrder(
      scene({
        precedence: 'warranty_first',
        partsUntil: '2026-01-31',
        caps: [partsCap('500.00')],
        usedThisYear: '470.00',
        withBelt: true,
      }),
    );
    expect(summarizeLines(doc).map((l) => [l.discount, l.covered, l.net])).toEqual([
      ['0.00', '72.00', '0.00'],
      ['4.40', '30.00', '9.60'],
      ['4.00', '0.00', '36.00'],
    ]);
    const belt = doc.lines[2]!;
    expect(belt.reasons.map((r) => r.code)).toEqual([
      'price_default_list',
      'contract_discount',
      'cap_exhausted',
      'warranty_expired',
    ]);
    expect(belt.reasons[2]?.text).toBe(
      'no contract coverage for parts: cap parts-2026 (2026, 500.00 EUR of 500.00 EUR used before this line) is exhausted',
    );
    expect(belt.reasons[3]?.text).toBe('parts charged: asset ast-77 out of warranty since 2026-02-01');
    expect(doc.totals.net.amount).toBe('45.60');
  });

  it('contract_first with partial terms: contract pays its share, warranty the remainder', () => {
    const doc = priceWorkOrder(
      scene({ precedence: 'contract_first', type: 'corrective', laborUntil: '2026-12-31' }),
    );
    expect(shares(doc)[0]).toBe('contract:36.00 warranty:36.00');
    expect(doc.lines[0]?.coveredPct).toBe('100');
    expect(doc.lines[0]?.netAmount.amount).toBe('0.00');
  });

  it('usage recorded for another period does not reduce this period’s cap', () => {
    const input = scene({ precedence: 'warranty_first', caps: [partsCap('500.00')] });
    input.capUsage = [
      { capId: 'parts-2026', periodKey: '2025', consumed: { amount: '500.00', currency: 'EUR' } },
    ];
    const doc = priceWorkOrder(input);
    expect(doc.lines[1]?.coveredAmount.amount).toBe('39.60');
    expect(doc.capConsumption[0]?.consumedBefore.amount).toBe('0.00');
  });

  it('a cap that applies to labor only leaves parts unlimited; several caps bind together', () => {
    const laborCap: ContractCap = {
      id: 'labor-month',
      period: 'month',
      limit: { amount: '50.00', currency: 'EUR' },
      appliesTo: ['labor'],
    };
    const allCap: ContractCap = {
      id: 'all-quarter',
      period: 'quarter',
      limit: { amount: '80.00', currency: 'EUR' },
      appliesTo: ['labor', 'part', 'fee'],
    };
    const doc = priceWorkOrder(scene({ precedence: 'warranty_first', caps: [laborCap, allCap] }));
    expect(summarizeLines(doc).map((l) => [l.covered, l.net])).toEqual([
      ['50.00', '22.00'],
      ['30.00', '9.60'],
    ]);
    expect(doc.lines[0]?.reasons.at(-1)?.code).toBe('cap_limited');
    expect(doc.lines[1]?.reasons.at(-1)?.text).toBe(
      'contract coverage limited to 30.00 EUR by cap all-quarter (2026-Q1, 50.00 EUR of 80.00 EUR used before this line)',
    );
    expect(doc.capConsumption.map((c) => [c.capId, c.periodKey, c.consumedByDocument.amount])).toEqual([
      ['labor-month', '2026-03', '50.00'],
      ['all-quarter', '2026-Q1', '80.00'],
    ]);
  });
});

describe('zero-amount documents', () => {
  it('a fully covered job still yields a document with every line, net zero, and says why', () => {
    const doc = priceWorkOrder(scene({ precedence: 'warranty_first' }));
    expect(doc.lines).toHaveLength(2);
    expect(doc.totals).toMatchObject({
      gross: { amount: '116.00' },
      covered: { amount: '111.60' },
      net: { amount: '0.00' },
    });
    expect(doc.zeroAmount).toBe(true);
    expect(doc.explanation.at(-1)).toBe(
      'Nothing to charge: the document records service delivered under contract C-1042.',
    );
  });

  it('a work order with nothing recorded gives an empty zero document', () => {
    const doc = priceWorkOrder(baseInput());
    expect(doc.lines).toEqual([]);
    expect(doc.totals.net).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(doc.zeroAmount).toBe(true);
    expect(doc.explanation.at(-1)).toBe('Nothing to charge: no work, parts or travel were recorded.');
  });

  it('a charged document is not flagged zero', () => {
    const doc = priceWorkOrder(scene({ precedence: 'warranty_first', type: 'corrective' }));
    expect(doc.zeroAmount).toBe(false);
    expect(doc.explanation).toContain(
      '2 lines: gross 116.00 EUR, discount 4.40 EUR, covered 36.00 EUR (contract 36.00 EUR, warranty 0.00 EUR), net 75.60 EUR.',
    );
  });
});

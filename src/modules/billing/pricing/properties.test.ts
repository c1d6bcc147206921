import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/index.js';
import { capPeriodFor } from './caps.js';
import { D } from './decimal.js';
import { pricedDocumentSchema } from './document-schema.js';
import type { PricedDocument } from './document-schema.js';
import { parsePricingInput } from './parse-input.js';
import { priceWorkOrder } from './price-work-order.js';
import type { ContractVersion, PriceList, PricingInput, WorkOrderType } from './input-schema.js';
import { addDays } from './dates.js';
import { currencyExponent } from '../../../shared/money.js';

const RUNS = { numRuns: 300 };

// ---- arbitraries: random but always priceable inputs (every price exists in the default list) ----

const laborTypes = ['standard', 'specialist', 'night'] as const;
const items = [
  ['itm-a', 'filters'],
  ['itm-b', 'belts'],
  ['itm-c', 'consumables'],
  ['itm-d', 'electronics'],
  ['itm-e', 'filters'],
] as const;
const categories = ['filters', 'belts', 'consumables', 'electronics'];
const assets = ['ast-1', 'ast-2', 'ast-3'];
const types: WorkOrderType[] = ['preventive', 'corrective', 'installation', 'inspection'];

const scaled = (n: number, places: number) => new D(n).div(new D(10).pow(places)).toFixed();
const price = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, p]) => scaled(n, p));
const pct = fc.oneof(
  fc.constant('0'),
  fc.constant('100'),
  fc.integer({ min: 0, max: 10_000 }).map((n) => scaled(n, 2)),
);
const quantity = fc.integer({ min: 1, max: 50_000 }).map((n) => scaled(n, 3));
const date = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2025-01-01', n));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function priceListArb(role: 'default' | 'customer'): fc.Arbitrary<Omit<PriceList, 'currency'>> {
  const subset = <K extends string>(keys: readonly K[]) =>
    fc.tuple(...keys.map((k) => (role === 'default' ? price : maybe(price)).map((v) => [k, v] as const)));
  return fc
    .record({
      labor: subset(laborTypes),
      items: subset(items.map(([id]) => id)),
      callOutFee: role === 'default' ? price : maybe(price),
      perKmRate: role === 'default' ? price : maybe(price),
    })
    .map((r) => {
      const list: Omit<PriceList, 'currency'> = {
        id: role === 'default' ? 'LIST-DEFAULT' : 'LIST-CUSTOMER',
        laborRates: Object.fromEntries(r.labor.filter(([, v]) => v !== undefined)) as Record<string, string>,
        items: Object.fromEntries(r.items.filter(([, v]) => v !== undefined)) as Record<string, string>,
      };
      if (role === 'customer') list.customerId = 'cus-1';
      if (r.callOutFee !== undefined) list.callOutFee = r.callOutFee;
      if (r.perKmRate !== undefined) list.perKmRate = r.perKmRate;
      return list;
    });
}

const termsArb = fc.record(
  {
    laborCoveredPct: pct,
    partsCoveredPct: pct,
    travelCovered: fc.boolean(),
    includedCategories: fc.subarray(categories),
    excludedCategories: fc.subarray(categories),
  },
  { requiredKeys: ['laborCoveredPct', 'partsCoveredPct', 'travelCovered'] },
);

const capArb = fc.record({
  id: fc.constantFrom('cap-1', 'cap-2', 'cap-3'),
  period: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const, 'contract_year' as const),
  limitMinor: fc.integer({ min: 0, max: 5_000_000 }),
  appliesTo: fc.subarray(['labor', 'part', 'fee'] as const, { minLength: 1 }),
  usedMinor: maybe(fc.integer({ min: 0, max: 6_000_000 })),
  usageForThisPeriod: fc.boolean(),
});

const contractArb = fc.record({
  startDate: fc.integer({ min: 0, max: 900 }).map((n) => addDays('2023-01-01', n)),
  coverage: fc.record(
    { preventive: termsArb, corrective: termsArb, installation: termsArb, inspection: termsArb },
    { requiredKeys: [] },
  ),
  discounts: fc.record({ laborPct: pct, partsPct: pct, travelPct: pct }, { requiredKeys: [] }),
  caps: fc.uniqueArray(capArb, { maxLength: 3, selector: (c) => c.id }),
});

function arbitraryPricingInput(): fc.Arbitrary<PricingInput> {
  return fc
    .record({
      currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
      type: fc.constantFrom(...types),
      date: date,
      offset: fc.constantFrom('Z', '+01:00', '-05:00'),
      assetId: maybe(fc.constantFrom(...assets)),
      labor: fc.array(
        fc.record(
          {
            technicianId: fc.constantFrom('t1', 't2', 't3'),
            laborType: fc.constantFrom(...laborTypes),
            minutes: fc.integer({ min: 0, max: 600 }),
            billable: fc.boolean(),
            assetId: maybe(fc.constantFrom(...assets)),
          },
          { requiredKeys: ['technicianId', 'laborType', 'minutes', 'billable'] },
        ),
        { maxLength: 5 },
      ),
      parts: fc.array(
        fc.record({ item: fc.constantFrom(...items), quantity, assetId: maybe(fc.constantFrom(...assets)) }),
        { maxLength: 6 },
      ),
      travel: maybe(
        fc.record(
          {
            callOut: fc.boolean(),
            distanceKm: maybe(fc.integer({ min: 0, max: 500_000 }).map((n) => scaled(n, 3))),
          },
          { requiredKeys: ['callOut'] },
        ),
      ),
      defaultList: priceListArb('default'),
      customerList: fc.option(priceListArb('customer'), { nil: null }),
      contract: fc.option(contractArb, { nil: null }),
      warranties: fc.dictionary(
        fc.constantFrom(...assets),
        fc.record({ partsUntil: fc.option(date, { nil: null }), laborUntil: fc.option(date, { nil: null }) }),
      ),
      rounding: fc.constantFrom(0, 1, 5, 6, 10, 15, 30, 60),
      minimum: fc.constantFrom(0, 15, 30, 60),
      precedence: fc.constantFrom('warranty_first' as const, 'contract_first' as const),
    })
    .map((g): PricingInput => {
      const exp = currencyExponent(g.currency);
      const money = (minor: number) => ({ amount: scaled(minor, exp), currency: g.currency });
      let contract: ContractVersion | null = null;
      const capUsage: PricingInput['capUsage'] = [];
      if (g.contract) {
        const c = g.contract;
        contract = {
          id: 'ctv-1',
          contractId: 'ctr-1',
          number: 'C-1',
          version: 1,
          customerId: 'cus-1',
          startDate: c.startDate,
          validFrom: '2023-01-01',
          validTo: null,
          coverage: c.coverage,
          discounts: c.discounts,
          caps: c.caps.map((cap) => ({
            id: cap.id,
            period: cap.period,
            limit: money(cap.limitMinor),
            appliesTo: cap.appliesTo,
          })),
        };
        for (const cap of c.caps) {
          if (cap.usedMinor === undefined) continue;
          const key = cap.usageForThisPeriod
            ? capPeriodFor(cap.period, g.date, c.startDate).key
            : 'some-other-period';
          capUsage.push({ capId: cap.id, periodKey: key, consumed: money(cap.usedMinor) });
        }
      }
      return {
        workOrder: {
          id: 'wo-1',
          number: 'WO-1',
          type: g.type,
          completedAt: `${g.date}T12:00:00${g.offset}`,
          customerId: 'cus-1',
          ...(g.assetId ? { assetId: g.assetId } : {}),
          labor: g.labor,
          parts: g.parts.map((p) => ({
            itemId: p.item[0],
            sku: `SKU-${p.item[0]}`,
            category: p.item[1],
            quantity: p.quantity,
            ...(p.assetId ? { assetId: p.assetId } : {}),
          })),
          ...(g.travel ? { travel: g.travel } : {}),
        },
        priceLists: {
          default: { ...g.defaultList, currency: g.currency },
          customer: g.customerList ? { ...g.customerList, currency: g.currency } : null,
        },
        contract,
        capUsage,
        warranties: g.warranties,
        policy: {
          laborRoundingMinutes: g.rounding,
          laborMinimumMinutes: g.minimum,
          warrantyPrecedence: g.precedence,
          taxCategories: { labor: 'services', part: 'goods', fee: 'services' },
        },
      };
    });
}

/** The same input under a contract that covers everything of its work-order type, without caps. */
function fullCoverage(input: PricingInput): PricingInput {
  const terms = { laborCoveredPct: '100', partsCoveredPct: '100', travelCovered: true };
  return {
    ...input,
    contract: {
      id: 'ctv-full',
      contractId: 'ctr-full',
      number: 'C-FULL',
      version: 1,
      customerId: input.workOrder.customerId,
      startDate: '2023-01-01',
      validFrom: '2023-01-01',
      validTo: null,
      coverage: { [input.workOrder.type]: terms },
      discounts: input.contract?.discounts ?? {},
      caps: [],
    },
    capUsage: [],
  };
}
const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), new D(0));

function checkLine(doc: PricedDocument): void {
  for (const line of doc.lines) {
    const gross = new D(line.grossAmount.amount);
    const discount = new D(line.discountAmount.amount);
    const covered = new D(line.coveredAmount.amount);
    const net = new D(line.netAmount.amount);
    const base = gross.minus(discount);
    const exact = new D(line.quantity).mul(line.unitPrice.amount);
    expect(gross.eq(exact.toDecimalPlaces(currencyExponent(doc.currency), D.ROUND_HALF_UP))).toBe(true);
    expect(base.minus(covered).eq(net)).toBe(true);
    expect(covered.gte(0) && covered.lte(base)).toBe(true);
    expect(net.gte(0)).toBe(true);
    const pct = new D(line.coveredPct);
    expect(pct.gte(0) && pct.lte(100)).toBe(true);
    expect(pct.eq(100)).toBe(!base.isZero() && net.isZero());
    expect(sum(line.coverage.map((s) => s.amount.amount)).eq(covered)).toBe(true);
    expect(line.reasons.length).toBeGreaterThan(0);
  }
}

describe('pricing properties', () => {
  it('every document matches the published schema, and generated inputs pass parsePricingInput', () => {
    fc.assert(
      fc.property(arbitraryPricingInput(), (input) => {
        expect(parsePricingInput(JSON.parse(JSON.stringify(input)))).toEqual(input);
        expect(pricedDocumentSchema.safeParse(priceWorkOrder(input)).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('lines sum to the totals; gross − discount − covered = net on every line; covered share within 0..100%', () => {
    fc.assert(
      fc.property(arbitraryPricingInput(), (input) => {
        const doc = priceWorkOrder(input);
        checkLine(doc);
        const t = doc.totals;
        const col = (pick: (l: PricedDocument['lines'][number]) => string) => sum(doc.lines.map(pick));
        expect(col((l) => l.grossAmount.amount).eq(t.gross.amount)).toBe(true);
        expect(col((l) => l.discountAmount.amount).eq(t.discount.amount)).toBe(true);
        expect(col((l) => l.coveredAmount.amount).eq(t.covered.amount)).toBe(true);
        expect(col((l) => l.netAmount.amount).eq(t.net.amount)).toBe(true);
        expect(new D(t.coveredByContract.amount).plus(t.coveredByWarranty.amount).eq(t.covered.amount)).toBe(
          true,
        );
        expect(new D(t.gross.amount).minus(t.discount.amount).minus(t.covered.amount).eq(t.net.amount)).toBe(
          true,
        );
        expect(doc.zeroAmount).toBe(new D(t.net.amount).isZero());
        const amounts = doc.lines.flatMap((l) => [
          l.unitPrice,
          l.grossAmount,
          l.discountAmount,
          l.coveredAmount,
          l.netAmount,
        ]);
        expect(amounts.every((m) => m.currency === doc.currency)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a fully covering contract without caps yields zero net on every line', () => {
    fc.assert(
      fc.property(arbitraryPricingInput().map(fullCoverage), (input) => {
        const doc = priceWorkOrder(input);
        for (const line of doc.lines) expect(line.netAmount.amount).toMatch(/^0(\.0+)?$/);
        expect(doc.zeroAmount).toBe(true);
        expect(doc.lines.length).toBeGreaterThanOrEqual(input.workOrder.parts.length);
      }),
      RUNS,
    );
  });

  it('re-pricing the same input gives the same document and never mutates the input', () => {
    fc.assert(
      fc.property(arbitraryPricingInput(), (input) => {
        const before = structuredClone(input);
        const first = priceWorkOrder(input);
        expect(input).toEqual(before);
        expect(priceWorkOrder(structuredClone(input))).toEqual(first);
        expect(JSON.stringify(priceWorkOrder(input))).toBe(JSON.stringify(first));
      }),
      RUNS,
    );
  });

  it('caps: contract coverage on capped kinds never exceeds what was left, and consumption is reported exactly', () => {
    fc.assert(
      fc.property(arbitraryPricingInput(), (input) => {
        const doc = priceWorkOrder(input);
        for (const cap of input.contract?.caps ?? []) {
          const report = doc.capConsumption.find((c) => c.capId === cap.id)!;
          const key = capPeriodFor(cap.period, doc.documentDate, input.contract!.startDate).key;
          expect(report.periodKey).toBe(key);
          const contractShares = doc.lines
            .filter((l) => cap.appliesTo.includes(l.kind))
            .flatMap((l) => l.coverage.filter((s) => s.source === 'contract').map((s) => s.amount.amount));
          const byDoc = new D(report.consumedByDocument.amount);
          expect(sum(contractShares).eq(byDoc)).toBe(true);
          const leftBefore = D.max(0, new D(cap.limit.amount).minus(report.consumedBefore.amount));
          expect(byDoc.lte(leftBefore)).toBe(true);
          expect(new D(report.remaining.amount).eq(leftBefore.minus(byDoc))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('removing any used item’s price is an error naming that item and the lists, never a zero line', () => {
    fc.assert(
      fc.property(
        arbitraryPricingInput().filter((i) => i.workOrder.parts.length > 0),
        fc.nat(),
        (input, pick) => {
          const part = input.workOrder.parts[pick % input.workOrder.parts.length]!;
          delete input.priceLists.default.items[part.itemId];
          if (input.priceLists.customer) delete input.priceLists.customer.items[part.itemId];
          let error: unknown;
          try {
            priceWorkOrder(input);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(AppError);
          const appError = error as AppError;
          expect(appError.code).toBe('unprocessable');
          expect(appError.message).toContain(`item ${part.itemId} (sku ${part.sku})`);
          expect(appError.message).toContain(`default price list ${input.priceLists.default.id}`);
          if (input.priceLists.customer) expect(appError.message).toContain(input.priceLists.customer.id);
        },
      ),
      RUNS,
    );
  });
});

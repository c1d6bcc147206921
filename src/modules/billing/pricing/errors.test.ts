import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/index.js';
import type { PricingInput } from './input-schema.js';
import { parsePricingInput } from './parse-input.js';
import { priceWorkOrder } from './price-work-order.js';
import { baseInput, workOrder } from './testing/fixtures.js';

function failure(input: PricingInput): AppError {
  try {
    priceWorkOrder(input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected priceWorkOrder to throw');
}

const part = (itemId: string) => ({ itemId, sku: `SKU-${itemId}`, category: 'misc', quantity: '1' });

describe('missing prices are errors naming the item and the lists, never a silent zero', () => {
  it('an item in neither list', () => {
    const error = failure(
      baseInput({ workOrder: workOrder({ parts: [part('itm-filter'), part('itm-valve')] }) }),
    );
    expect(error.code).toBe('unprocessable');
    expect(error.message).toBe(
      'no price for item itm-valve (sku SKU-itm-valve) in customer price list ACME-2026 nor in default price list STD-2026',
    );
    expect(error.details).toEqual({
      reason: 'missing_price',
      itemId: 'itm-valve',
      sku: 'SKU-itm-valve',
      priceListIds: ['ACME-2026', 'STD-2026'],
    });
  });

  it('an item without a customer list names only the default list', () => {
    const input = baseInput({ workOrder: workOrder({ parts: [part('itm-valve')] }) });
    input.priceLists.customer = null;
    expect(failure(input).message).toBe(
      'no price for item itm-valve (sku SKU-itm-valve) in default price list STD-2026',
    );
  });

  it('an item id that is an Object.prototype name is still missing', () => {
    expect(failure(baseInput({ workOrder: workOrder({ parts: [part('constructor')] }) })).message).toMatch(
      /^no price for item constructor/,
    );
  });

  it('a labor type without a rate', () => {
    const labor = [{ technicianId: 't1', laborType: 'night', minutes: 30, billable: true }];
    const error = failure(baseInput({ workOrder: workOrder({ labor }) }));
    expect(error.message).toBe(
      'no labor rate for labor type night in customer price list ACME-2026 nor in default price list STD-2026',
    );
    expect(error.details).toMatchObject({ laborType: 'night', priceListIds: ['ACME-2026', 'STD-2026'] });
  });

  it('non-billable labor needs no rate', () => {
    const labor = [{ technicianId: 't1', laborType: 'night', minutes: 30, billable: false }];
    expect(priceWorkOrder(baseInput({ workOrder: workOrder({ labor }) })).lines).toHaveLength(1);
  });

  it('a call-out or distance without a fee in any list', () => {
    const input = baseInput({ workOrder: workOrder({ travel: { callOut: true, distanceKm: '3' } }) });
    delete input.priceLists.default.callOutFee;
    expect(failure(input).message).toBe(
      'no call-out fee in customer price list ACME-2026 nor in default price list STD-2026',
    );
    const km = baseInput({ workOrder: workOrder({ travel: { callOut: false, distanceKm: '3' } }) });
    delete km.priceLists.default.perKmRate;
    expect(failure(km).message).toBe(
      'no per-km travel rate in customer price list ACME-2026 nor in default price list STD-2026',
    );
  });
});

describe('inputs that cannot be priced correctly are refused', () => {
  it('price lists in different currencies', () => {
    const input = baseInput();
    input.priceLists.customer!.currency = 'USD';
    const error = failure(input);
    expect(error.code).toBe('unprocessable');
    expect(error.message).toMatch(/^mixed currencies: customer price list ACME-2026 is in USD/);
  });

  it('a cap in another currency', () => {
    const input = baseInput();
    input.contract!.caps = [
      { id: 'c1', period: 'year', limit: { amount: '10.00', currency: 'USD' }, appliesTo: ['part'] },
    ];
    expect(failure(input).message).toMatch(/^mixed currencies: cap c1 of contract C-1042 is in USD/);
  });

  it('another customer’s price list or contract', () => {
    const list = baseInput();
    list.priceLists.customer!.customerId = 'cus-other';
    expect(failure(list).message).toBe(
      'customer price list ACME-2026 belongs to customer cus-other, not to cus-acme',
    );
    const contract = baseInput();
    contract.contract!.customerId = 'cus-other';
    expect(failure(contract).message).toBe(
      'contract C-1042 version 2 belongs to customer cus-other, not to cus-acme',
    );
  });

  it.each([
    ['2026-03-15', null, 'valid from 2026-03-15 to open end'],
    ['2025-01-01', '2026-03-13', 'valid from 2025-01-01 to 2026-03-13'],
  ])('a contract version not in force (from %s to %s)', (validFrom, validTo, text) => {
    const input = baseInput();
    input.contract = { ...input.contract!, validFrom, validTo };
    const error = failure(input);
    expect(error.code).toBe('unprocessable');
    expect(error.message).toBe(`contract C-1042 version 2 is not in force on 2026-03-14 (${text})`);
  });

  it.each<[string, (i: PricingInput) => void, string]>([
    [
      'quantity with a comma',
      (i) => i.workOrder.parts.push({ ...part('itm-filter'), quantity: '1,5' }),
      'workOrder.parts.0.quantity',
    ],
    [
      'zero quantity',
      (i) => i.workOrder.parts.push({ ...part('itm-filter'), quantity: '0' }),
      'workOrder.parts.0.quantity',
    ],
    [
      'price with a float exponent',
      (i) => (i.priceLists.default.items['itm-filter'] = '1e3'),
      'priceLists.default.items.itm-filter',
    ],
    ['percentage above 100', (i) => (i.contract!.discounts.partsPct = '150'), 'contract.discounts.partsPct'],
    [
      'fractional minutes',
      (i) =>
        i.workOrder.labor.push({ technicianId: 't', laborType: 'standard', minutes: 1.5, billable: true }),
      'workOrder.labor.0.minutes',
    ],
    [
      'warranty date that is not a date',
      (i) => (i.warranties = { 'ast-77': { partsUntil: '2026-02-30', laborUntil: null } }),
      'warranties.ast-77.partsUntil',
    ],
    ['completedAt without a date', (i) => (i.workOrder.completedAt = 'yesterday'), 'workOrder.completedAt'],
  ])('%s is a validation error naming its path', (_name, mutate, path) => {
    const input = baseInput();
    input.priceLists.customer = null;
    mutate(input);
    input.workOrder.parts.push({ ...part('itm-filter') });
    const error = failure(input);
    expect(error.code).toBe('validation');
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual([path]);
  });
});

describe('parsePricingInput', () => {
  it('accepts a valid input unchanged', () => {
    const input = baseInput({ workOrder: workOrder({ parts: [part('itm-filter')] }) });
    expect(parsePricingInput(JSON.parse(JSON.stringify(input)))).toEqual(input);
  });

  it('reports every problem with its path at once', () => {
    const raw = JSON.parse(JSON.stringify(baseInput())) as Record<string, unknown> & PricingInput;
    raw.workOrder.type = 'repair' as never;
    raw.priceLists.default.currency = 'euro';
    raw.policy.laborRoundingMinutes = -1;
    try {
      parsePricingInput(raw);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const issues = (error as AppError).issues.map((i) => i.path.join('.'));
      expect(issues).toEqual([
        'workOrder.type',
        'priceLists.default.currency',
        'policy.laborRoundingMinutes',
      ]);
      expect((error as AppError).code).toBe('validation');
    }
  });
});

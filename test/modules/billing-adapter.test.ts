import { describe, expect, it } from 'vitest';
import type { Asset } from '../../src/modules/assets/index.js';
import {
  defaultBillingPolicy,
  feeSegments,
  toPricingInput,
  warrantyOf,
} from '../../src/modules/billing/index.js';
import type { WorkOrderFacts } from '../../src/modules/billing/index.js';
import { capPeriodFor, priceWorkOrder } from '../../src/modules/billing/pricing/index.js';
import type { Contract, ContractVersion, PriceList } from '../../src/modules/contracts/index.js';
import type { WorkOrder } from '../../src/modules/work-orders/index.js';

/** Plain records shaped like the other modules' outputs: the adapter is pure, so no store is needed. */
const stamp = { createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' };

const list = (over: Partial<PriceList>): PriceList => ({
  id: 'pl-id',
  code: null,
  name: 'List',
  currency: 'EUR',
  customerId: null,
  isDefault: false,
  validFrom: null,
  validTo: null,
  status: 'active',
  items: {},
  categories: {},
  laborRates: {},
  callOutFee: null,
  perKmRate: null,
  externalRefs: {},
  version: 1,
  ...stamp,
  ...over,
});

const version = (over: Partial<ContractVersion> = {}): ContractVersion => ({
  id: 'ctv-1',
  contractId: 'ctr-1',
  contractNumber: 'C-1',
  customerId: 'cus-1',
  currency: 'EUR',
  versionNo: 2,
  validFrom: '2025-01-01',
  validTo: null,
  coveredAssetIds: [],
  coveredSiteIds: [],
  coverage: {
    corrective: {
      laborCoveredPct: '50',
      partsCoveredPct: '100',
      includedCategories: null,
      excludedCategories: ['consumables'],
      travelCovered: true,
    },
    preventive: {
      laborCoveredPct: '100',
      partsCoveredPct: '100',
      includedCategories: ['filters'],
      excludedCategories: [],
      travelCovered: false,
    },
  },
  caps: [
    { id: 'parts-month', kind: 'parts', amount: '50.00', currency: 'EUR', period: 'month' },
    { id: 'total-contract', kind: 'total', amount: '900.00', currency: 'EUR', period: 'contract' },
  ],
  priceListId: null,
  discounts: { partsPct: '10', laborPct: '0' },
  sla: null,
  recurringFee: null,
  notes: null,
  ...stamp,
  ...over,
});

const contract = (versions: ContractVersion[], over: Partial<Contract> = {}): Contract => ({
  id: 'ctr-1',
  number: 'C-1',
  customerId: 'cus-1',
  status: 'active',
  currency: 'EUR',
  title: null,
  notes: null,
  startDate: '2024-07-01',
  endDate: null,
  terminatedOn: null,
  terminationReason: null,
  versions,
  externalRefs: {},
  version: 1,
  ...stamp,
  ...over,
});

const asset = (over: Partial<Asset>): Asset =>
  ({
    id: 'ast-1',
    serialNumber: 'SN1',
    itemId: 'itm-machine',
    name: 'Compressor',
    customerId: 'cus-1',
    siteId: 'site-1',
    costCenter: 'CC-9',
    status: 'installed',
    installDate: '2024-01-01',
    warrantyPartsUntil: '2026-12-31',
    warrantyLaborUntil: '2025-06-30',
    purchaseDate: null,
    purchaseRef: null,
    disposalDate: null,
    disposalReason: null,
    parentAssetId: null,
    meter: null,
    notes: null,
    externalRefs: {},
    version: 1,
    ...stamp,
    ...over,
  }) as Asset;

const workOrder = (over: Partial<WorkOrder> = {}): WorkOrder =>
  ({
    id: 'wo-1',
    number: 'WO-000001',
    type: 'corrective',
    status: 'completed',
    customerId: 'cus-1',
    siteId: 'site-1',
    region: 'north',
    assets: [{ assetId: 'ast-1', label: 'Compressor' }],
    contractId: 'ctr-1',
    completedAt: '2025-03-14T10:00:00.000Z',
    revision: 0,
    labor: [
      {
        id: 'l1',
        technicianId: 't1',
        technicianName: 'T',
        laborType: 'normal',
        startedAt: null,
        endedAt: null,
        durationMinutes: 50,
        billable: true,
        note: null,
        createdAt: '',
      },
    ],
    parts: [
      {
        id: 'p1',
        itemId: 'itm-valve',
        sku: 'VLV',
        name: 'Valve',
        category: 'valves',
        unit: 'pc',
        quantity: '1',
        serials: [],
        warehouseId: 'van',
        assetId: null,
        stockReference: null,
        createdAt: '',
      },
      {
        id: 'p2',
        itemId: 'itm-oil',
        sku: 'OIL',
        name: 'Oil',
        category: 'consumables',
        unit: 'l',
        quantity: '0.5',
        serials: [],
        warehouseId: 'van',
        assetId: 'ast-2',
        stockReference: null,
        createdAt: '',
      },
    ],
    ...over,
  }) as WorkOrder;

function facts(over: Partial<WorkOrderFacts> = {}): WorkOrderFacts {
  const v = version();
  return {
    workOrder: workOrder(),
    contract: contract([v]),
    version: v,
    customerList: list({ id: 'pl-cus', code: 'CUS', customerId: 'cus-1', categories: { valves: '55.00' } }),
    defaultList: list({
      id: 'pl-std',
      code: 'STD',
      isDefault: true,
      laborRates: { normal: '80.00' },
      items: { 'itm-oil': '12.50' },
      categories: { valves: '70.00', consumables: '1.00' },
      callOutFee: '45.00',
    }),
    items: new Map(),
    assets: new Map([
      ['ast-1', asset({})],
      ['ast-2', asset({ id: 'ast-2', warrantyPartsUntil: '2027-01-01', disposalDate: '2025-02-01' })],
    ]),
    capUsage: [],
    policy: { ...defaultBillingPolicy },
    ...over,
  };
}

describe('pricing adapter (contracts, price lists, assets → engine input)', () => {
  it('maps contract versions: caps by kind and period, no travel discount, included categories only when given', () => {
    const { input } = toPricingInput(facts());
    expect(input.contract).toEqual({
      id: 'ctv-1',
      contractId: 'ctr-1',
      number: 'C-1',
      version: 2,
      customerId: 'cus-1',
      startDate: '2024-07-01',
      validFrom: '2025-01-01',
      validTo: null,
      coverage: {
        preventive: {
          laborCoveredPct: '100',
          partsCoveredPct: '100',
          travelCovered: false,
          includedCategories: ['filters'],
          excludedCategories: [],
        },
        corrective: {
          laborCoveredPct: '50',
          partsCoveredPct: '100',
          travelCovered: true,
          excludedCategories: ['consumables'],
        },
      },
      discounts: { laborPct: '0', partsPct: '10' },
      caps: [
        {
          id: 'parts-month',
          description: 'parts cap per month',
          period: 'month',
          limit: { amount: '50.00', currency: 'EUR' },
          appliesTo: ['part'],
        },
        {
          id: 'total-contract',
          description: 'total cap per contract',
          period: 'contract',
          limit: { amount: '900.00', currency: 'EUR' },
          appliesTo: ['labor', 'part', 'fee'],
        },
      ],
    });
  });

  it('names lists by code, adds category prices per list (customer list first), keeps explicit item prices', () => {
    const { input, lists } = toPricingInput(facts());
    expect(input.priceLists.customer?.items).toEqual({ 'itm-valve': '55.00' });
    expect(input.priceLists.default.items).toEqual({ 'itm-oil': '12.50', 'itm-valve': '70.00' });
    expect(input.priceLists.customer?.id).toBe('CUS');
    expect(lists.get('STD')?.id).toBe('pl-std');
    const doc = priceWorkOrder(input);
    expect(doc.lines.map((l) => [l.code, l.unitPrice.amount, l.priceListId])).toEqual([
      ['normal', '80.00', 'STD'],
      ['itm-valve', '55.00', 'CUS'],
      ['itm-oil', '12.50', 'STD'],
    ]);
  });

  it('clips warranties at the disposal date and adds a call-out only for the listed work-order types', () => {
    expect(
      warrantyOf(
        asset({ warrantyPartsUntil: '2027-01-01', warrantyLaborUntil: null, disposalDate: '2025-02-01' }),
      ),
    ).toEqual({
      partsUntil: '2025-02-01',
      laborUntil: null,
    });
    const { input } = toPricingInput(facts());
    expect(input.warranties?.['ast-2']).toEqual({ partsUntil: '2025-02-01', laborUntil: '2025-02-01' });
    expect(input.workOrder.travel).toBeUndefined();
    const withCallOut = toPricingInput(
      facts({ policy: { ...defaultBillingPolicy, callOutFor: ['corrective'] } }),
    ).input;
    expect(withCallOut.workOrder.travel).toEqual({ callOut: true });
    expect(priceWorkOrder(withCallOut).lines.at(-1)).toMatchObject({
      code: 'call_out',
      coveredAmount: { amount: '45.00' },
      reasons: [{ code: 'price_default_list' }, { code: 'fee_call_out' }, { code: 'contract_covered' }],
    });
    // The oil's asset was disposed of before the work: no parts warranty, the category is excluded.
    expect(priceWorkOrder(withCallOut).lines[2]?.reasons.map((r) => r.code)).toEqual([
      'price_default_list',
      'contract_discount',
      'contract_category_excluded',
      'warranty_expired',
    ]);
  });

  it('gives the engine a whole-contract cap period keyed "contract" from the contract start', () => {
    expect(capPeriodFor('contract', '2026-05-05', '2024-07-01')).toEqual({
      key: 'contract',
      start: '2024-07-01',
      end: '9999-12-31',
    });
  });

  it('computes fee segments from contract versions and termination', () => {
    const c = contract(
      [
        version({
          id: 'v1',
          versionNo: 1,
          validFrom: '2025-01-10',
          validTo: '2025-02-14',
          recurringFee: { amount: '280.00', currency: 'EUR', period: 'monthly' },
        }),
        version({
          id: 'v2',
          versionNo: 2,
          validFrom: '2025-02-15',
          validTo: null,
          recurringFee: { amount: '0', currency: 'EUR', period: 'monthly' },
        }),
      ],
      { status: 'terminated', terminatedOn: '2025-02-10' },
    );
    expect(
      feeSegments(c, '2025-01-01', '2025-03-31').map((s) => [
        s.period.key,
        s.from,
        s.to,
        s.days,
        s.periodDays,
        s.amountMinor,
      ]),
    ).toEqual([
      ['2025-01', '2025-01-10', '2025-01-31', 22, 31, 19871],
      ['2025-02', '2025-02-01', '2025-02-10', 10, 28, 10000],
    ]);
    expect(
      feeSegments(
        contract([version({ recurringFee: { amount: '10', currency: 'EUR', period: 'monthly' } })], {
          status: 'draft',
        }),
        '2025-01-01',
        '2025-12-31',
      ),
    ).toEqual([]);
  });
});

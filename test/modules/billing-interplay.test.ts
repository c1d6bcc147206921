import { expect, it } from 'vitest';
import type { BillingDocument } from '../../src/modules/billing/index.js';
import {
  approveDocument,
  billWorkOrder,
  creditDocument,
  getContractCapUsage,
  repriceDocument,
} from '../../src/modules/billing/index.js';
import {
  completedWorkOrder,
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

const codes = (doc: BillingDocument) => doc.lines.map((l) => l.reasons.map((r) => r.code));
const nets = (doc: BillingDocument) => doc.lines.map((l) => l.netAmount.amount);

const preventiveFull = {
  laborCoveredPct: '100',
  partsCoveredPct: '100',
  travelCovered: true,
  excludedCategories: ['consumables'],
};

async function contractWith(
  db: Db,
  world: Awaited<ReturnType<typeof createBillingWorld>>,
  extra: Record<string, unknown> = {},
) {
  return createBillingContract(db, world, [
    {
      validFrom: '2025-01-01',
      coverage: {
        preventive: preventiveFull,
        corrective: { laborCoveredPct: '50', partsCoveredPct: '0' },
      },
      discounts: { partsPct: '10' },
      ...extra,
    },
  ]);
}

describeEachEngine('billing: work orders through the real modules', (handle) => {
  const db = () => handle().db;

  it('bills a covered preventive work order as a zero-amount draft with every line explained', async () => {
    const w = await createBillingWorld(db());
    const contractId = await contractWith(db(), w);
    const wo = await completedWorkOrder(db(), w, {
      type: 'preventive',
      contractId,
      completedAt: '2025-03-14T15:20:00Z',
      labor: [{ minutes: 52 }],
      parts: [{ itemId: w.items.filter, quantity: '2' }],
    });
    const { document: doc, created } = await billWorkOrder(db(), wo.id);
    expect(created).toBe(true);
    expect(doc).toMatchObject({
      kind: 'work_order',
      status: 'draft',
      documentDate: '2025-03-14',
      currency: 'EUR',
      zeroAmount: true,
      customer: { id: w.customerId, code: w.customerCode, taxId: 'BE0123456789' },
      billingAddress: { name: 'Head office', city: 'Brussel', country: 'BE' },
      region: w.region,
      costCenter: `CC-${w.tag}`,
      workOrder: { id: wo.id, number: wo.number, type: 'preventive', revision: 0 },
      contract: { id: contractId, number: `C-${w.tag}`, versionNo: 1 },
      totals: {
        gross: { amount: '116.00' },
        discount: { amount: '4.40' },
        covered: { amount: '111.60' },
        net: { amount: '0.00' },
      },
    });
    expect(doc.number).toMatch(/^BD-\d{6}$/);
    expect(
      doc.lines.map((l) => [l.kind, l.description, l.quantity, l.unitPrice.amount, l.grossAmount.amount]),
    ).toEqual([
      ['labor', `Labor normal on Compressor A (S/N SN-${w.tag})`, '1', '72.00', '72.00'],
      ['part', 'Air filter', '2', '22.00', '44.00'],
    ]);
    expect(codes(doc)).toEqual([
      ['price_customer_list', 'labor_rounded', 'contract_covered'],
      ['price_customer_list', 'contract_discount', 'contract_covered'],
    ]);
    expect(doc.lines[1]).toMatchObject({
      sku: expect.stringMatching(/^FLT-/),
      itemId: w.items.filter,
      taxCategory: 'goods',
      costCenter: `CC-${w.tag}`,
      priceListId: w.customerList.id,
      priceBasis: 'item',
    });
    expect(doc.lines[1]?.reasons[2]?.text).toBe(
      `parts covered 100% by contract C-${w.tag}, preventive maintenance`,
    );
    expect(doc.explanation.at(-1)).toBe(
      `Nothing to charge: the document records service delivered under contract C-${w.tag}.`,
    );
    const events = await readEvents(db(), { subject: `billing_document/${doc.id}` });
    expect(events.map((e) => e.type)).toEqual(['billing.document.created']);
    expect((events[0]?.data as { document: BillingDocument }).document).toEqual(doc);
  });

  it('bills an out-of-warranty corrective repair with the contract discount and a category price', async () => {
    const w = await createBillingWorld(db(), {
      warrantyPartsUntil: '2025-02-28',
      warrantyLaborUntil: '2025-02-28',
    });
    const contractId = await contractWith(db(), w);
    const wo = await completedWorkOrder(db(), w, {
      type: 'corrective',
      contractId,
      completedAt: '2025-03-20T10:05:00Z',
      labor: [{ minutes: 40 }, { minutes: 30 }],
      parts: [
        { itemId: w.items.belt, quantity: '1' },
        { itemId: w.items.valve, quantity: '1' },
      ],
    });
    const { document: doc } = await billWorkOrder(db(), wo.id);
    expect(
      doc.lines.map((l) => [l.quantity, l.unitPrice.amount, l.discountAmount.amount, l.coveredAmount.amount]),
    ).toEqual([
      ['1.25', '72.00', '0.00', '45.00'],
      ['1', '40.00', '4.00', '0.00'],
      ['1', '55.00', '5.50', '0.00'],
    ]);
    expect(nets(doc)).toEqual(['45.00', '36.00', '49.50']);
    expect(codes(doc)).toEqual([
      ['price_customer_list', 'labor_rounded', 'contract_covered', 'warranty_expired'],
      ['price_default_list', 'contract_discount', 'contract_not_covered', 'warranty_expired'],
      ['price_customer_list', 'contract_discount', 'contract_not_covered', 'warranty_expired'],
    ]);
    expect(doc.lines[0]?.reasons[3]?.text).toBe(
      `labor charged: asset ${w.assetId} out of warranty since 2025-03-01`,
    );
    expect(doc.lines.map((l) => [l.priceListId, l.priceBasis])).toEqual([
      [w.customerList.id, null],
      [w.defaultList.id, 'item'],
      [w.customerList.id, 'category'],
    ]);
    expect(doc).toMatchObject({
      zeroAmount: false,
      totals: { net: { amount: '130.50' }, discount: { amount: '9.50' } },
    });
  });

  it('consumes a monthly cap across two work orders, releases it by a credit note and re-prices a draft', async () => {
    const w = await createBillingWorld(db());
    const contractId = await contractWith(db(), w, {
      caps: [{ kind: 'parts', amount: '50.00', period: 'month' }],
    });
    const bill = async (completedAt: string, filters: string) => {
      const wo = await completedWorkOrder(db(), w, {
        type: 'preventive',
        contractId,
        completedAt,
        labor: [{ minutes: 30 }],
        parts: [{ itemId: w.items.filter, quantity: filters }],
      });
      return (await billWorkOrder(db(), wo.id)).document;
    };
    const a = await bill('2025-03-10T09:00:00Z', '2');
    expect(a.lines[1]).toMatchObject({ coveredAmount: { amount: '39.60' }, netAmount: { amount: '0.00' } });
    expect(a.capConsumption).toMatchObject([
      {
        capId: 'parts-month',
        periodKey: '2025-03',
        consumedBefore: { amount: '0.00' },
        consumedByDocument: { amount: '39.60' },
      },
    ]);

    const b = await bill('2025-03-20T09:00:00Z', '1');
    expect(b.lines[1]).toMatchObject({ coveredAmount: { amount: '10.40' }, netAmount: { amount: '9.40' } });
    expect(codes(b)[1]).toEqual([
      'price_customer_list',
      'contract_discount',
      'contract_covered',
      'cap_limited',
    ]);
    expect(b.lines[1]?.reasons[3]?.text).toBe(
      'contract coverage limited to 10.40 EUR by cap parts-month (2025-03, 39.60 EUR of 50.00 EUR used before this line)',
    );
    expect(await getContractCapUsage(db(), contractId)).toEqual([
      { capId: 'parts-month', periodKey: '2025-03', consumed: { amount: '50.00', currency: 'EUR' } },
    ]);

    await approveDocument(db(), a.id);
    const { creditNote } = await creditDocument(db(), a.id, { reason: 'billed twice' });
    expect(creditNote.totals.net.amount).toBe('0.00');
    expect(await getContractCapUsage(db(), contractId)).toEqual([
      { capId: 'parts-month', periodKey: '2025-03', consumed: { amount: '10.40', currency: 'EUR' } },
    ]);

    // The draft B re-prices against what is left now that A's consumption is released.
    const repriced = await repriceDocument(db(), b.id);
    expect(repriced.lines[1]).toMatchObject({
      coveredAmount: { amount: '19.80' },
      netAmount: { amount: '0.00' },
    });
    expect(repriced.revision).toBe(1);
    expect(await getContractCapUsage(db(), contractId)).toEqual([
      { capId: 'parts-month', periodKey: '2025-03', consumed: { amount: '19.80', currency: 'EUR' } },
    ]);

    const c = await bill('2025-03-25T09:00:00Z', '2');
    expect(c.lines[1]).toMatchObject({ coveredAmount: { amount: '30.20' }, netAmount: { amount: '9.40' } });
    // Another month starts with the whole cap.
    const april = await bill('2025-04-02T09:00:00Z', '2');
    expect(april.lines[1]).toMatchObject({
      coveredAmount: { amount: '39.60' },
      netAmount: { amount: '0.00' },
    });
    expect(await getContractCapUsage(db(), contractId)).toEqual([
      { capId: 'parts-month', periodKey: '2025-03', consumed: { amount: '50.00', currency: 'EUR' } },
      { capId: 'parts-month', periodKey: '2025-04', consumed: { amount: '39.60', currency: 'EUR' } },
    ]);
  });

  it('never spends a cap twice when work orders of one contract are billed at the same time', async () => {
    const w = await createBillingWorld(db());
    const contractId = await contractWith(db(), w, {
      caps: [{ kind: 'parts', amount: '50.00', period: 'month' }],
    });
    const orders = [];
    for (const day of ['03', '04', '05', '06']) {
      orders.push(
        await completedWorkOrder(db(), w, {
          type: 'preventive',
          contractId,
          completedAt: `2025-03-${day}T09:00:00Z`,
          labor: [{ minutes: 30 }],
          parts: [{ itemId: w.items.filter, quantity: '1' }],
        }),
      );
    }
    const docs = await Promise.all(orders.map((wo) => billWorkOrder(db(), wo.id)));
    const coveredParts = docs.map((d) => d.document.lines[1]?.coveredAmount.amount ?? '').sort();
    // 19.80 per filter after the discount: two in full, one limited to what is left, one nothing.
    expect(coveredParts).toEqual(['0.00', '10.40', '19.80', '19.80']);
    expect(await getContractCapUsage(db(), contractId)).toEqual([
      { capId: 'parts-month', periodKey: '2025-03', consumed: { amount: '50.00', currency: 'EUR' } },
    ]);
  });

  it('caps the whole life of a contract ("contract" period) across versions', async () => {
    const w = await createBillingWorld(db());
    const contractId = await createBillingContract(db(), w, [
      {
        validFrom: '2025-01-01',
        validTo: '2025-03-31',
        coverage: { preventive: preventiveFull },
        caps: [{ kind: 'total', amount: '100.00', period: 'contract' }],
      },
      {
        validFrom: '2025-04-01',
        coverage: { preventive: preventiveFull },
        caps: [{ kind: 'total', amount: '100.00', period: 'contract' }],
      },
    ]);
    const run = async (completedAt: string) => {
      const wo = await completedWorkOrder(db(), w, {
        type: 'preventive',
        contractId,
        completedAt,
        labor: [{ minutes: 60 }],
      });
      return (await billWorkOrder(db(), wo.id)).document;
    };
    const march = await run('2025-03-03T10:00:00Z');
    expect(march.totals.covered.amount).toBe('72.00');
    const may = await run('2025-05-05T10:00:00Z');
    expect(may).toMatchObject({
      contract: { versionNo: 2 },
      totals: { covered: { amount: '28.00' }, net: { amount: '44.00' } },
    });
    expect(may.capConsumption).toMatchObject([
      { capId: 'total-contract', periodKey: 'contract', periodStart: '2025-01-01' },
    ]);
  });
});

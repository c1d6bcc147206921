import { beforeAll, expect, it } from 'vitest';
import {
  approveDocument,
  billWorkOrder,
  creditDocument,
  generateRecurringFees,
} from '../../src/modules/billing/index.js';
import type { BillingWorld } from '../../src/modules/billing/testing/billing-world.js';
import {
  completedWorkOrder,
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import {
  contractProfitabilityReport,
  countWorkingDays,
  inventoryConsumptionReport,
  laborUtilizationReport,
  serviceRevenueReport,
} from '../../src/modules/reports/index.js';
import { correctWorkOrder } from '../../src/modules/work-orders/index.js';
import { describeEachEngine } from '../support/test-database.js';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * One customer in its own region with contract C (corrective: labor 50%, parts 0%, 10% parts discount,
 * 100.00 monthly fee) and three corrective work orders completed in March 2025:
 *   WO1 03-10: 60 min normal + 30 min travel (not billable), 2 belts → 72−36 + 0 + (80−8) = 108.00 net
 *   WO2 03-20: 45 min normal, 1 filter → 54−27 + (22−2.20) = 46.80 net
 *   WO3 03-25: 60 min normal, 2 l oil corrected to 0.5 l → left as a draft (not revenue)
 * WO1, WO2 and the March fee are approved; WO2 is then credited (the credit note is dated today).
 */
describeEachEngine('reports against hand-computed figures', (handle) => {
  const db = () => handle().db;
  let w: BillingWorld;
  let contractId: string;

  beforeAll(async () => {
    w = await createBillingWorld(db());
    contractId = await createBillingContract(db(), w, [
      {
        validFrom: '2025-01-01',
        coverage: { corrective: { laborCoveredPct: '50', partsCoveredPct: '0' } },
        discounts: { partsPct: '10' },
        recurringFee: { amount: '100.00', period: 'monthly' },
      },
    ]);
    const wo1 = await completedWorkOrder(db(), w, {
      contractId,
      completedAt: '2025-03-10T12:00:00Z',
      labor: [{ minutes: 60 }, { minutes: 30, laborType: 'travel', billable: false }],
      parts: [{ itemId: w.items.belt, quantity: '2' }],
    });
    const wo2 = await completedWorkOrder(db(), w, {
      contractId,
      completedAt: '2025-03-20T12:00:00Z',
      labor: [{ minutes: 45 }],
      parts: [{ itemId: w.items.filter, quantity: '1' }],
    });
    const wo3 = await completedWorkOrder(db(), w, {
      contractId,
      completedAt: '2025-03-25T12:00:00Z',
      parts: [{ itemId: w.items.oil, quantity: '2' }],
    });
    await correctWorkOrder(db(), wo3.id, {
      reason: 'only half a litre was used',
      changes: {
        partsRemove: [wo3.parts[0]?.id ?? ''],
        partsAdd: [{ itemId: w.items.oil, quantity: '0.5' }],
      },
    });
    const d1 = (await billWorkOrder(db(), wo1.id)).document;
    const d2 = (await billWorkOrder(db(), wo2.id)).document;
    await billWorkOrder(db(), wo3.id);
    expect([d1.totals.net.amount, d2.totals.net.amount]).toEqual(['108.00', '46.80']);
    await approveDocument(db(), d1.id);
    await approveDocument(db(), d2.id);
    const fees = await generateRecurringFees(db(), { asOf: '2025-03-15' });
    const fee = fees.created.find((d) => d.contract?.id === contractId);
    await approveDocument(db(), fee?.id ?? '');
    await creditDocument(db(), d2.id, { reason: 'goodwill' });
  });

  it('service revenue: approved documents of the period, drafts left out, credits in their own period', async () => {
    const march = await serviceRevenueReport(db(), {
      from: '2025-03-01',
      to: '2025-03-31',
      region: w.region,
    });
    expect(march).toEqual([
      {
        customerId: w.customerId,
        customerName: `Acme ${w.tag}`,
        contractId,
        contractNumber: `C-${w.tag}`,
        currency: 'EUR',
        documents: 3,
        workOrderRevenue: '154.80',
        recurringFeeRevenue: '100.00',
        credits: '0.00',
        gross: '328.00',
        discount: '10.20',
        covered: '63.00',
        netRevenue: '254.80',
      },
    ]);
    const credits = await serviceRevenueReport(db(), {
      from: today(),
      to: today(),
      customerId: w.customerId,
    });
    expect(credits).toMatchObject([
      { documents: 1, workOrderRevenue: '-46.80', credits: '-46.80', netRevenue: '-46.80' },
    ]);
    expect(
      await serviceRevenueReport(db(), { from: '2025-03-01', to: '2025-03-31', region: 'nowhere' }),
    ).toEqual([]);
    expect(
      await serviceRevenueReport(db(), { from: '2025-03-01', to: '2025-03-31', contractId: 'none' }),
    ).toEqual([]);
  });

  it('inventory consumption: issues minus returns per item × warehouse, at cost', async () => {
    const rows = await inventoryConsumptionReport(db(), { from: today(), to: today(), region: w.region });
    expect(
      rows.map((r) => [
        r.sku,
        r.warehouseId,
        r.issued,
        r.returned,
        r.consumed,
        r.unitCost,
        r.costValue,
        r.workOrders,
      ]),
    ).toEqual([
      [`BELT-${w.tag}`, w.vanId, '2', '0', '2', '20.00', '40.00', 1],
      [`FLT-${w.tag}`, w.vanId, '1', '0', '1', '8.00', '8.00', 1],
      [`OIL-${w.tag}`, w.vanId, '2.5', '2', '0.5', '4.00', '2.00', 1],
    ]);
    const byContract = await inventoryConsumptionReport(db(), { from: today(), to: today(), contractId });
    expect(byContract.map((r) => r.sku)).toEqual([`BELT-${w.tag}`, `FLT-${w.tag}`, `OIL-${w.tag}`]);
    expect(
      await inventoryConsumptionReport(db(), { from: today(), to: today(), customerId: 'someone-else' }),
    ).toEqual([]);
    expect(
      await inventoryConsumptionReport(db(), { from: '2025-03-01', to: '2025-03-31', region: w.region }),
    ).toEqual([]);
  });

  it('labor utilization: available hours from working days, recorded and billable from the work orders', async () => {
    expect(countWorkingDays('2025-03-01', '2025-03-31', [1, 2, 3, 4, 5])).toBe(21);
    const rows = await laborUtilizationReport(db(), {
      from: '2025-03-01',
      to: '2025-03-31',
      region: w.region,
      hoursPerDay: '8',
      workingDays: [1, 2, 3, 4, 5],
    });
    expect(rows).toEqual([
      {
        technicianId: w.technicianId,
        technicianCode: `T-${w.tag}`,
        technicianName: `Tess Tech ${w.tag}`,
        region: w.region,
        workingDays: 21,
        availableHours: '168.00',
        recordedHours: '3.25',
        billableHours: '2.75',
        nonBillableHours: '0.50',
        recordedPct: '1.9',
        billablePct: '1.6',
      },
    ]);
    const saturdays = await laborUtilizationReport(db(), {
      from: '2025-03-01',
      to: '2025-03-31',
      region: w.region,
      hoursPerDay: '7.5',
      workingDays: [1, 2, 3, 4, 5, 6],
    });
    expect(saturdays[0]).toMatchObject({ workingDays: 26, availableHours: '195.00' });
    const april = await laborUtilizationReport(db(), {
      from: '2025-04-01',
      to: '2025-04-30',
      region: w.region,
      hoursPerDay: '8',
      workingDays: [1, 2, 3, 4, 5],
    });
    expect(april[0]).toMatchObject({
      workingDays: 22,
      availableHours: '176.00',
      recordedHours: '0.00',
      billablePct: '0.0',
    });
  });

  it('contract profitability: fees + billed − parts at cost − labor at cost rate', async () => {
    const rows = await contractProfitabilityReport(db(), {
      from: '2025-03-01',
      to: '2025-03-31',
      region: w.region,
    });
    expect(rows).toEqual([
      {
        contractId,
        contractNumber: `C-${w.tag}`,
        customerId: w.customerId,
        customerName: `Acme ${w.tag}`,
        currency: 'EUR',
        recurringFees: '100.00',
        billed: '154.80',
        partsCost: '50.00',
        laborCost: '146.25',
        margin: '58.55',
        workOrders: 3,
        laborHours: '3.25',
      },
    ]);
  });

  it('refuses a backwards or too long period (400)', async () => {
    await expect(serviceRevenueReport(db(), { from: '2025-03-31', to: '2025-03-01' })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(
      contractProfitabilityReport(db(), { from: '2000-01-01', to: '2025-03-01' }),
    ).rejects.toMatchObject({
      code: 'validation',
    });
  });
});

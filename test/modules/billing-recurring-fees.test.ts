import { describe, expect, it } from 'vitest';
import type { BillingDocument, RecurringFeeRunResult } from '../../src/modules/billing/index.js';
import {
  approveDocument,
  creditDocument,
  feePeriodsOverlapping,
  generateRecurringFees,
} from '../../src/modules/billing/index.js';
import {
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import { terminateContract } from '../../src/modules/contracts/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

const mine = (run: RecurringFeeRunResult, contractId: string): BillingDocument[] =>
  run.created.filter((d) => d.contract?.id === contractId);

const summary = (docs: BillingDocument[]) =>
  docs.map((d) => ({
    period: d.period?.key,
    date: d.documentDate,
    net: d.totals.net.amount,
    lines: d.lines.map((l) => [l.unitPrice.amount, l.reasons.map((r) => r.code).join('+')]),
  }));

async function count(db: Db, table: 'billing_documents' | 'outbox_events') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('fee periods', () => {
  it('lists every calendar period of the kind overlapping a range', () => {
    expect(feePeriodsOverlapping('monthly', '2025-01-31', '2025-03-01').map((p) => p.key)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    expect(
      feePeriodsOverlapping('quarterly', '2024-12-31', '2025-04-01').map((p) => [p.key, p.start, p.end]),
    ).toEqual([
      ['2024-Q4', '2024-10-01', '2024-12-31'],
      ['2025-Q1', '2025-01-01', '2025-03-31'],
      ['2025-Q2', '2025-04-01', '2025-06-30'],
    ]);
    expect(feePeriodsOverlapping('yearly', '2024-02-29', '2024-02-29').map((p) => p.key)).toEqual(['2024']);
  });
});

describeEachEngine('billing: recurring contract fees', (handle) => {
  const db = () => handle().db;

  it('prorates by days when a version starts, changes or the contract ends mid-month', async () => {
    const w = await createBillingWorld(db());
    const contractId = await createBillingContract(db(), w, [
      { validFrom: '2025-03-15', recurringFee: { amount: '310.00', period: 'monthly' } },
      {
        validFrom: '2025-05-10',
        recurringFee: { amount: '620.00', period: 'monthly' },
        closeOpenVersion: true,
      },
    ]);
    await terminateContract(db(), contractId, { terminatedOn: '2025-06-20', reason: 'site closed' });
    const run = await generateRecurringFees(db(), { periodStart: '2025-02-01', periodEnd: '2025-07-31' });
    const docs = mine(run, contractId);
    expect(summary(docs)).toEqual([
      {
        period: '2025-03',
        date: '2025-03-01',
        net: '170.00',
        lines: [['170.00', 'recurring_fee+recurring_fee_prorated']],
      },
      { period: '2025-04', date: '2025-04-01', net: '310.00', lines: [['310.00', 'recurring_fee']] },
      {
        period: '2025-05',
        date: '2025-05-01',
        net: '530.00',
        lines: [
          ['90.00', 'recurring_fee+recurring_fee_prorated'],
          ['440.00', 'recurring_fee+recurring_fee_prorated'],
        ],
      },
      {
        period: '2025-06',
        date: '2025-06-01',
        net: '413.33',
        lines: [['413.33', 'recurring_fee+recurring_fee_prorated']],
      },
    ]);
    const march = docs[0];
    expect(march).toMatchObject({
      kind: 'recurring_fee',
      status: 'draft',
      customer: { id: w.customerId, code: w.customerCode },
      billingAddress: { name: 'Head office' },
      region: w.region,
      period: { key: '2025-03', start: '2025-03-01', end: '2025-03-31' },
      contract: { id: contractId, versionNo: 1 },
    });
    expect(march?.lines[0]).toMatchObject({
      kind: 'recurring_fee',
      quantity: '1',
      unit: 'period',
      taxCategory: 'services',
      description: `Service contract C-${w.tag} fee 2025-03 (2025-03-15 to 2025-03-31)`,
      detail: { days: 17, periodDays: 31, fullAmount: { amount: '310.00', currency: 'EUR' }, prorated: true },
    });
    expect(march?.lines[0]?.reasons[1]?.text).toBe(
      'prorated 17/31 days (2025-03-15 to 2025-03-31): 310.00 × 17 ÷ 31 = 170.00',
    );
  });

  it('bills a quarterly fee per quarter, prorated over the quarter', async () => {
    const w = await createBillingWorld(db());
    const contractId = await createBillingContract(db(), w, [
      { validFrom: '2025-02-01', recurringFee: { amount: '900.00', period: 'quarterly' } },
    ]);
    const run = await generateRecurringFees(db(), { asOf: '2025-03-31' });
    expect(summary(mine(run, contractId))).toEqual([
      {
        period: '2025-Q1',
        date: '2025-01-01',
        net: '590.00',
        lines: [['590.00', 'recurring_fee+recurring_fee_prorated']],
      },
    ]);
    const q2 = await generateRecurringFees(db(), { asOf: '2025-04-01' });
    expect(summary(mine(q2, contractId))).toEqual([
      { period: '2025-Q2', date: '2025-04-01', net: '900.00', lines: [['900.00', 'recurring_fee']] },
    ]);
  });

  it('re-running (also concurrently, also after a credit) never creates a second document for a contract and period', async () => {
    const w = await createBillingWorld(db());
    const contractId = await createBillingContract(db(), w, [
      { validFrom: '2025-01-01', recurringFee: { amount: '100.00', period: 'monthly' } },
    ]);
    const range = { periodStart: '2025-01-01', periodEnd: '2025-03-31' };
    const [a, b] = await Promise.all([
      generateRecurringFees(db(), range),
      generateRecurringFees(db(), range),
    ]);
    const created = [...mine(a, contractId), ...mine(b, contractId)];
    expect(created.map((d) => d.period?.key).sort()).toEqual(['2025-01', '2025-02', '2025-03']);
    const before = {
      docs: await count(db(), 'billing_documents'),
      events: await count(db(), 'outbox_events'),
    };
    const again = await generateRecurringFees(db(), range);
    expect(mine(again, contractId)).toEqual([]);
    expect(again.existing.filter((e) => e.contractId === contractId).map((e) => e.periodKey)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    expect({
      docs: await count(db(), 'billing_documents'),
      events: await count(db(), 'outbox_events'),
    }).toEqual(before);

    const january = created.find((d) => d.period?.key === '2025-01');
    await approveDocument(db(), january?.id ?? '');
    await creditDocument(db(), january?.id ?? '', { reason: 'goodwill' });
    const afterCredit = await generateRecurringFees(db(), { asOf: '2025-01-15' });
    expect(mine(afterCredit, contractId)).toEqual([]);
  });

  it('draft contracts and versions without a fee bill nothing; bad runs are 400s that write nothing', async () => {
    const w = await createBillingWorld(db());
    const noFee = await createBillingContract(db(), w, [{ validFrom: '2025-01-01' }], '-nofee');
    const run = await generateRecurringFees(db(), { asOf: '2025-06-01' });
    expect(mine(run, noFee)).toEqual([]);
    const before = await count(db(), 'billing_documents');
    for (const bad of [
      {},
      { asOf: '2025-02-30' },
      { asOf: '2025-01-01', periodStart: '2025-01-01', periodEnd: '2025-01-31' },
      { periodStart: '2025-02-01', periodEnd: '2025-01-31' },
      { periodStart: '2025-02-01' },
      { asOf: '2025-01-01', mode: 'all' },
      { periodStart: '2000-01-01', periodEnd: '2025-01-01' },
    ]) {
      await expect(generateRecurringFees(db(), bad as never)).rejects.toMatchObject({ code: 'validation' });
    }
    expect(await count(db(), 'billing_documents')).toBe(before);
  });
});

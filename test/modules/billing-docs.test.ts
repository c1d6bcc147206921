import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { BillingDocument } from '../../src/modules/billing/index.js';
import {
  approveDocument,
  billWorkOrder,
  creditDocument,
  generateRecurringFees,
  getContractCapUsage,
  repriceDocument,
} from '../../src/modules/billing/index.js';
import {
  completedWorkOrder,
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import { terminateContract } from '../../src/modules/contracts/index.js';
import { describeEachEngine } from '../support/test-database.js';

/**
 * The billing-document worked examples of docs/billing.md (examples 5 and 6). Each table row is rendered
 * from what the services stored and must appear verbatim in the page, so the page cannot drift from the
 * code.
 */
const page = readFileSync(new URL('../../docs/billing.md', import.meta.url), 'utf8');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const expectInPage = (rows: string[]) => {
  for (const r of rows) expect(page, `docs/billing.md lacks the row\n${r}`).toContain(r);
};

describeEachEngine('docs/billing.md worked examples of billing documents', (handle) => {
  const db = () => handle().db;

  it('Example 5: a monthly cap across work orders, released by a credit note, re-priced draft', async () => {
    const w = await createBillingWorld(db());
    const contractId = await createBillingContract(db(), w, [
      {
        validFrom: '2025-01-01',
        coverage: { preventive: { laborCoveredPct: '100', partsCoveredPct: '100' } },
        discounts: { partsPct: '10' },
        caps: [{ kind: 'parts', amount: '50.00', period: 'month' }],
      },
    ]);
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
    const used = async () =>
      (await getContractCapUsage(db(), contractId)).find((u) => u.periodKey === '2025-03')?.consumed.amount;
    const partsRow = async (step: string, doc: BillingDocument) => {
      const line = doc.lines.find((l) => l.kind === 'part');
      return row([
        step,
        line?.grossAmount.amount ?? '',
        line?.discountAmount.amount ?? '',
        line?.coveredAmount.amount ?? '',
        line?.netAmount.amount ?? '',
        line?.reasons.at(-1)?.code ?? '',
        (await used()) ?? '',
      ]);
    };
    const rows: string[] = [];
    const a = await bill('2025-03-10T09:00:00Z', '2');
    rows.push(await partsRow('A: WO of 10 March, 2 filters, draft', a));
    const b = await bill('2025-03-20T09:00:00Z', '1');
    rows.push(await partsRow('B: WO of 20 March, 1 filter, draft', b));
    await approveDocument(db(), a.id);
    const { creditNote } = await creditDocument(db(), a.id, { reason: 'billed twice' });
    rows.push(await partsRow('A approved, then credited: its credit note', creditNote));
    rows.push(await partsRow('B re-priced (revision 1)', await repriceDocument(db(), b.id)));
    rows.push(await partsRow('C: WO of 25 March, 2 filters, draft', await bill('2025-03-25T09:00:00Z', '2')));
    expectInPage(rows);
  });

  it('Example 6: recurring fees prorated by days', async () => {
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
    const run = await generateRecurringFees(db(), { periodStart: '2025-01-01', periodEnd: '2025-12-31' });
    const rows = run.created
      .filter((d) => d.contract?.id === contractId)
      .flatMap((d) =>
        d.lines.map((l) => {
          const detail = l.detail as {
            versionNo: number;
            from: string;
            to: string;
            days: number;
            periodDays: number;
            fullAmount: { amount: string };
          };
          return row([
            d.period?.key ?? '',
            detail.versionNo,
            `${detail.from} to ${detail.to}`,
            `${detail.days} / ${detail.periodDays}`,
            detail.fullAmount.amount,
            l.netAmount.amount,
            d.totals.net.amount,
          ]);
        }),
      );
    expect(rows).toHaveLength(5);
    expectInPage(rows);
  });
});

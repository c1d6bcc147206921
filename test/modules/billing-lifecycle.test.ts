import { expect, it } from 'vitest';
import type { BillingDocument } from '../../src/modules/billing/index.js';
import {
  approveDocument,
  billCompletedWorkOrders,
  billWorkOrder,
  creditDocument,
  getBillingDocument,
  listBillingDocuments,
  markDocumentInvoiced,
  markDocumentSent,
  repriceDocument,
} from '../../src/modules/billing/index.js';
import type { BillingWorld } from '../../src/modules/billing/testing/billing-world.js';
import {
  completedWorkOrder,
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import { correctWorkOrder, createWorkOrder } from '../../src/modules/work-orders/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

const tables = [
  'billing_documents',
  'billing_lines',
  'billing_cap_usage',
  'billing_counters',
  'outbox_events',
] as const;

async function snapshot(db: Db) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const counters = await db.selectFrom('billing_counters').selectAll().orderBy('name').execute();
  return { counts, counters: counters.map((c) => [c.name, Number(c.value)]) };
}

/** Runs a refused call and checks it failed as expected with every billing table exactly as before. */
async function expectNothingWritten(
  db: Db,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await snapshot(db);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await snapshot(db)).toEqual(before);
}

async function covered(db: Db, w: BillingWorld, completedAt = '2025-03-14T15:20:00Z') {
  const contractId = await createBillingContract(db, w, [
    {
      validFrom: '2025-01-01',
      coverage: { corrective: { laborCoveredPct: '50', partsCoveredPct: '0' } },
      discounts: { partsPct: '10' },
    },
  ]);
  const wo = await completedWorkOrder(db, w, {
    contractId,
    completedAt,
    labor: [{ minutes: 60 }],
    parts: [{ itemId: w.items.belt, quantity: '2' }],
  });
  return { contractId, wo };
}

const types = async (db: Db, id: string) =>
  (await readEvents(db, { subject: `billing_document/${id}` })).map((e) => e.type);

describeEachEngine('billing: document lifecycle', (handle) => {
  const db = () => handle().db;

  it('walks draft → approved → sent_to_erp → invoiced → credited, with one event per change', async () => {
    const w = await createBillingWorld(db());
    const { wo } = await covered(db(), w);
    const { document: draft } = await billWorkOrder(db(), wo.id);
    expect(draft.totals.net.amount).toBe('108.00');

    const approved = await approveDocument(db(), draft.id, draft.version);
    expect(approved).toMatchObject({ status: 'approved', version: 2 });
    expect(approved.approvedAt).not.toBeNull();
    const sent = await markDocumentSent(db(), draft.id, { externalRef: 'tryton:delivery-7' });
    expect(sent).toMatchObject({ status: 'sent_to_erp', externalRef: 'tryton:delivery-7' });
    // A connector retry with the same reference changes nothing and emits nothing.
    expect(await markDocumentSent(db(), draft.id, { externalRef: 'tryton:delivery-7' })).toEqual(sent);
    const invoiced = await markDocumentInvoiced(db(), draft.id, { erpNumber: 'INV/2025/0042' });
    expect(invoiced).toMatchObject({ status: 'invoiced', erpNumber: 'INV/2025/0042' });
    expect(await markDocumentInvoiced(db(), draft.id, { erpNumber: 'INV/2025/0042' })).toEqual(invoiced);

    const { credited, creditNote } = await creditDocument(db(), draft.id, { reason: 'wrong belt billed' });
    expect(credited).toMatchObject({
      status: 'credited',
      creditReason: 'wrong belt billed',
      creditedBy: { id: creditNote.id, number: creditNote.number },
    });
    expect(creditNote).toMatchObject({
      kind: 'credit_note',
      status: 'approved',
      creditsDocument: { id: draft.id, number: draft.number, erpNumber: 'INV/2025/0042' },
      workOrder: { id: wo.id },
      customer: { id: w.customerId },
      totals: { gross: { amount: '-152.00' }, discount: { amount: '-8.00' }, net: { amount: '-108.00' } },
    });
    expect(creditNote.number).toMatch(/^CN-\d{6}$/);
    expect(
      creditNote.lines.map((l) => [l.quantity, l.unitPrice.amount, l.netAmount.amount, l.reasons[0]?.text]),
    ).toEqual(
      draft.lines.map((l) => [
        `-${l.quantity}`,
        l.unitPrice.amount,
        `-${l.netAmount.amount}`,
        `credits line ${l.lineNo} of ${draft.number}`,
      ]),
    );

    expect(await types(db(), draft.id)).toEqual([
      'billing.document.created',
      'billing.document.approved',
      'billing.document.sent',
      'billing.document.invoiced',
      'billing.document.credited',
    ]);
    expect(await types(db(), creditNote.id)).toEqual([
      'billing.document.created',
      'billing.document.approved',
    ]);
    // Credit notes go to the ERP like invoices.
    await markDocumentSent(db(), creditNote.id, { externalRef: 'tryton:delivery-8' });
    expect((await markDocumentInvoiced(db(), creditNote.id, { erpNumber: 'CRN/2025/0001' })).status).toBe(
      'invoiced',
    );

    // After the credit the work order can be billed again: a new draft, not the credited one.
    const again = await billWorkOrder(db(), wo.id);
    expect(again.created).toBe(true);
    expect(again.document.id).not.toBe(draft.id);
    expect(again.document.status).toBe('draft');
  });

  it('refuses illegal transitions with 409 naming the allowed ones, writing nothing', async () => {
    const w = await createBillingWorld(db());
    const { wo } = await covered(db(), w);
    const { document: draft } = await billWorkOrder(db(), wo.id);
    const conflict = (allowed: string[]) => ({
      code: 'conflict',
      details: expect.objectContaining({ allowedTransitions: allowed }),
    });
    await expectNothingWritten(
      db(),
      () => markDocumentInvoiced(db(), draft.id, { erpNumber: 'X' }),
      conflict(['approved']),
    );
    await expectNothingWritten(
      db(),
      () => markDocumentSent(db(), draft.id, { externalRef: 'X' }),
      conflict(['approved']),
    );
    await expectNothingWritten(db(), () => creditDocument(db(), draft.id, { reason: 'no' }), {
      ...conflict(['approved']),
      message: `billing document ${draft.number} cannot go from draft to credited; allowed: approved`,
    });
    await approveDocument(db(), draft.id);
    await expectNothingWritten(
      db(),
      () => approveDocument(db(), draft.id),
      conflict(['sent_to_erp', 'credited']),
    );
    await expectNothingWritten(
      db(),
      () => repriceDocument(db(), draft.id),
      conflict(['sent_to_erp', 'credited']),
    );
    await markDocumentSent(db(), draft.id, { externalRef: 'ref-1' });
    await expectNothingWritten(
      db(),
      () => markDocumentSent(db(), draft.id, { externalRef: 'ref-2' }),
      conflict(['invoiced', 'credited']),
    );
    const { creditNote } = await creditDocument(db(), draft.id, { reason: 'duplicate' });
    await expectNothingWritten(db(), () => creditDocument(db(), draft.id, { reason: 'again' }), conflict([]));
    await expectNothingWritten(db(), () => approveDocument(db(), draft.id), {
      message: `billing document ${draft.number} cannot go from credited to approved; allowed: none`,
    });
    await expectNothingWritten(
      db(),
      () => creditDocument(db(), creditNote.id, { reason: 'credit the credit' }),
      {
        ...conflict(['sent_to_erp']),
        message: expect.stringContaining('a credit note cannot be credited') as unknown,
      },
    );
  });

  it('refuses stale versions (412), unknown documents (404) and bad input (400) without writing', async () => {
    const w = await createBillingWorld(db());
    const { wo } = await covered(db(), w);
    const { document: draft } = await billWorkOrder(db(), wo.id);
    await expectNothingWritten(db(), () => approveDocument(db(), draft.id, draft.version + 1), {
      code: 'precondition_failed',
    });
    await expectNothingWritten(db(), () => approveDocument(db(), 'nope'), { code: 'not_found' });
    await approveDocument(db(), draft.id);
    await expectNothingWritten(db(), () => markDocumentSent(db(), draft.id, { externalRef: '' }), {
      code: 'validation',
    });
    await expectNothingWritten(
      db(),
      () => markDocumentSent(db(), draft.id, { externalRef: 'x', extra: 1 } as never),
      {
        code: 'validation',
        issues: [{ path: ['extra'], message: 'unknown field' }],
      },
    );
    await expectNothingWritten(db(), () => creditDocument(db(), draft.id, {} as never), {
      code: 'validation',
    });
  });

  it('bills a work order once: a second call and a racing call return the same draft', async () => {
    const w = await createBillingWorld(db());
    const { wo } = await covered(db(), w);
    const [a, b] = await Promise.all([billWorkOrder(db(), wo.id), billWorkOrder(db(), wo.id)]);
    expect(a.document.id).toBe(b.document.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const third = await billWorkOrder(db(), wo.id);
    expect(third).toMatchObject({ created: false, document: { id: a.document.id, version: 1 } });
    expect(await types(db(), a.document.id)).toEqual(['billing.document.created']);
    const listed = await listBillingDocuments(db(), { workOrderId: wo.id }, { limit: 10 });
    expect(listed.data.map((d) => d.id)).toEqual([a.document.id]);
  });

  it('bills completed work orders in batch, once, reporting the ones that cannot be priced', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const w = await createBillingWorld(db(), { valveUnpriced: true });
    const contractId = await createBillingContract(db(), w, [{ validFrom: '2025-01-01' }]);
    const good = await completedWorkOrder(db(), w, { contractId, completedAt: '2025-03-03T10:00:00Z' });
    const bad = await completedWorkOrder(db(), w, {
      contractId,
      completedAt: '2025-03-04T10:00:00Z',
      parts: [{ itemId: w.items.valve, quantity: '1' }],
    });
    const open = await createWorkOrder(db(), {
      type: 'corrective',
      title: 'Open',
      customerId: w.customerId,
      contractId,
    });
    const first = await billCompletedWorkOrders(db(), { since });
    const mine = (ids: string[]) => ids.filter((id) => [good.id, bad.id, open.id].includes(id));
    expect(mine(first.created.map((d) => d.workOrder?.id ?? ''))).toEqual([good.id]);
    expect(first.failed.filter((f) => f.workOrderId === bad.id)).toEqual([
      expect.objectContaining({
        code: 'unprocessable',
        message: expect.stringContaining(`VLV-${w.tag}`) as unknown,
      }),
    ]);
    const second = await billCompletedWorkOrders(db(), { since });
    expect(mine(second.created.map((d) => d.workOrder?.id ?? ''))).toEqual([]);
    expect(mine(second.skipped.map((s) => s.workOrderId))).toEqual([good.id]);
    await expect(billCompletedWorkOrders(db(), { since: 'yesterday' })).rejects.toMatchObject({
      code: 'validation',
    });
  });

  it('a missing price is a 422 naming the item and every list searched, and nothing is written', async () => {
    const w = await createBillingWorld(db(), { valveUnpriced: true });
    const contractId = await createBillingContract(db(), w, [{ validFrom: '2025-01-01' }]);
    const wo = await completedWorkOrder(db(), w, {
      contractId,
      completedAt: '2025-03-04T10:00:00Z',
      parts: [{ itemId: w.items.valve, quantity: '1' }],
    });
    await expectNothingWritten(db(), () => billWorkOrder(db(), wo.id), {
      code: 'unprocessable',
      message: `work order ${wo.number} cannot be priced: no price for item ${w.items.valve} (sku VLV-${w.tag}) in customer price list ACME-${w.tag} nor in default price list STD-EUR`,
      details: expect.objectContaining({
        reason: 'missing_price',
        itemId: w.items.valve,
        sku: `VLV-${w.tag}`,
        workOrderId: wo.id,
        priceListIds: [w.customerList.id, w.defaultList.id],
        priceListCodes: [`ACME-${w.tag}`, 'STD-EUR'],
      }),
    });
  });

  it('bills only completed work orders (409) and 404s an unknown one, writing nothing', async () => {
    const w = await createBillingWorld(db());
    const open = await createWorkOrder(db(), { type: 'corrective', title: 'Open', customerId: w.customerId });
    await expectNothingWritten(db(), () => billWorkOrder(db(), open.id), {
      code: 'conflict',
      message: `work order ${open.number} is draft; only completed or closed work orders are billed`,
    });
    await expectNothingWritten(db(), () => billWorkOrder(db(), 'no-such-work-order'), { code: 'not_found' });
  });

  it('re-prices a draft after a work-order correction: new lines replace the old ones', async () => {
    const w = await createBillingWorld(db());
    const { wo } = await covered(db(), w);
    const { document: draft } = await billWorkOrder(db(), wo.id);
    expect(draft.lines.map((l) => l.code)).toEqual(['normal', w.items.belt]);
    const corrected = await correctWorkOrder(db(), wo.id, {
      reason: 'forgot the oil',
      changes: { partsAdd: [{ itemId: w.items.oil, quantity: '1.5' }], laborAdd: [{ durationMinutes: 30 }] },
    });
    const repriced: BillingDocument = await repriceDocument(db(), draft.id, {
      expectedVersion: draft.version,
    });
    expect(repriced).toMatchObject({
      id: draft.id,
      number: draft.number,
      revision: 1,
      version: 2,
      workOrder: { revision: corrected.revision },
    });
    expect(repriced.lines.map((l) => [l.code, l.quantity, l.netAmount.amount])).toEqual([
      ['normal', '1.5', '54.00'],
      [w.items.belt, '2', '72.00'],
      [w.items.oil, '1.5', '16.87'],
    ]);
    expect(repriced.totals.net.amount).toBe('142.87');
    const events = await readEvents(db(), { subject: `billing_document/${draft.id}` });
    expect(events.map((e) => e.type)).toEqual(['billing.document.created', 'billing.document.repriced']);
    expect(events[1]?.data).toMatchObject({
      changedFields: expect.arrayContaining(['lines', 'totals', 'workOrder']) as unknown,
      previousTotals: { net: { amount: '108.00' } },
    });
    expect(await getBillingDocument(db(), draft.id)).toEqual(repriced);
    await expectNothingWritten(db(), () => repriceDocument(db(), draft.id, { expectedVersion: 1 }), {
      code: 'precondition_failed',
    });
  });
});

import { expect, it } from 'vitest';
import type { BillingDocument } from '../../src/modules/billing/index.js';
import {
  completedWorkOrder,
  createBillingContract,
  createBillingWorld,
} from '../../src/modules/billing/testing/billing-world.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';

const tables = ['billing_documents', 'billing_lines', 'billing_cap_usage', 'outbox_events'] as const;

async function snapshot(h: TestHub) {
  const db = h.hub.handle.db;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function expectNothingWritten(h: TestHub, action: () => Promise<void>) {
  const before = await snapshot(h);
  await action();
  expect(await snapshot(h)).toEqual(before);
}

async function billable(h: TestHub, options: { valveUnpriced?: boolean } = {}) {
  const db = h.hub.handle.db;
  const w = await createBillingWorld(db, options);
  const contractId = await createBillingContract(db, w, [
    {
      validFrom: '2025-01-01',
      coverage: { corrective: { laborCoveredPct: '50', partsCoveredPct: '0' } },
      discounts: { partsPct: '10' },
      caps: [{ kind: 'labor', amount: '1000.00', period: 'year' }],
      recurringFee: { amount: '100.00', period: 'monthly' },
    },
  ]);
  const wo = await completedWorkOrder(db, w, {
    contractId,
    completedAt: '2025-03-14T15:20:00Z',
    labor: [{ minutes: 60 }],
    parts: [{ itemId: options.valveUnpriced ? w.items.valve : w.items.belt, quantity: '2' }],
  });
  return { w, contractId, wo };
}

describeEachHub('billing API', (hub) => {
  it('creates the draft of a completed work order once (201, then 200 with the same document)', async () => {
    const h = hub();
    const { wo, w } = await billable(h);
    const first = await h.call('POST', `/v1/billing/documents/from-work-order/${wo.id}`, {
      token: h.tokens.write,
    });
    expect(first.status).toBe(201);
    const doc = first.body as unknown as BillingDocument;
    expect(first.headers.get('location')).toBe(`/v1/billing/documents/${doc.id}`);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(doc).toMatchObject({
      status: 'draft',
      customer: { id: w.customerId },
      totals: { net: { amount: '108.00' } },
    });
    const second = await h.call('POST', `/v1/billing/documents/from-work-order/${wo.id}`, {
      token: h.tokens.write,
    });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(doc.id);
    const read = await h.call('GET', `/v1/billing/documents/${doc.id}`, { token: h.tokens.read });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(first.body);
  });

  it('runs the lifecycle over HTTP; billing.document.approved carries what an invoice needs', async () => {
    const h = hub();
    const { wo, w, contractId } = await billable(h);
    const created = await h.call('POST', `/v1/billing/documents/from-work-order/${wo.id}`);
    const id = String(created.body.id);
    const stale = await h.call('POST', `/v1/billing/documents/${id}/approve`, {
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    const approved = await h.call('POST', `/v1/billing/documents/${id}/approve`, {
      headers: { 'if-match': '"1"' },
    });
    expect(approved.status).toBe(200);
    expect(approved.headers.get('etag')).toBe('"2"');

    const [event] = await readEvents(h.hub.handle.db, {
      subject: `billing_document/${id}`,
      types: ['billing.document.approved'],
    });
    const data = event?.data as { document: BillingDocument; changedFields: string[] };
    expect(data.changedFields).toEqual(['status', 'approvedAt']);
    expect(data.document).toMatchObject({
      id,
      kind: 'work_order',
      status: 'approved',
      currency: 'EUR',
      documentDate: '2025-03-14',
      customer: { id: w.customerId, code: w.customerCode, name: `Acme ${w.tag}`, taxId: 'BE0123456789' },
      billingAddress: { line1: 'Main street 5', city: 'Brussel', postalCode: '1000', country: 'BE' },
      workOrder: { id: wo.id, number: wo.number },
      contract: { id: contractId, number: `C-${w.tag}` },
      costCenter: `CC-${w.tag}`,
      totals: { net: { amount: '108.00', currency: 'EUR' } },
    });
    expect(
      data.document.lines.map((l) => [
        l.description,
        l.quantity,
        l.unit,
        l.unitPrice.amount,
        l.discountAmount.amount,
        l.netAmount.amount,
        l.taxCategory,
        l.costCenter,
        l.sku,
      ]),
    ).toEqual([
      [
        `Labor normal on Compressor A (S/N SN-${w.tag})`,
        '1',
        'h',
        '72.00',
        '0.00',
        '36.00',
        'services',
        `CC-${w.tag}`,
        null,
      ],
      ['Drive belt', '2', 'pc', '40.00', '8.00', '72.00', 'goods', `CC-${w.tag}`, `BELT-${w.tag}`],
    ]);

    const again = await h.call('POST', `/v1/billing/documents/${id}/approve`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({
      code: 'conflict',
      status: 409,
      documentStatus: 'approved',
      allowedTransitions: ['sent_to_erp', 'credited'],
    });

    const badSend = await h.call('POST', `/v1/billing/documents/${id}/send`, {
      body: { externalRef: 'x', erpNumber: 'y' },
    });
    expect(badSend.status).toBe(400);
    expect(badSend.body.errors).toEqual([{ path: '/erpNumber', message: expect.any(String) as unknown }]);
    const sent = await h.call('POST', `/v1/billing/documents/${id}/send`, {
      body: { externalRef: 'tryton:42' },
    });
    expect(sent.body).toMatchObject({ status: 'sent_to_erp', externalRef: 'tryton:42' });
    const invoiced = await h.call('POST', `/v1/billing/documents/${id}/invoice`, {
      body: { erpNumber: 'INV/2025/7' },
    });
    expect(invoiced.body).toMatchObject({ status: 'invoiced', erpNumber: 'INV/2025/7' });
    const reprice = await h.call('POST', `/v1/billing/documents/${id}/reprice`);
    expect(reprice.status).toBe(409);
    const credit = await h.call('POST', `/v1/billing/documents/${id}/credit`, {
      body: { reason: 'customer complaint' },
    });
    expect(credit.status).toBe(201);
    expect(credit.body).toMatchObject({
      credited: { id, status: 'credited' },
      creditNote: { kind: 'credit_note', status: 'approved', totals: { net: { amount: '-108.00' } } },
    });

    const list = await h.call('GET', `/v1/billing/documents?customerId=${w.customerId}&kind=credit_note`, {
      token: h.tokens.read,
    });
    expect((list.body.data as BillingDocument[]).map((d) => d.creditsDocument?.id)).toEqual([id]);
    const usage = await h.call('GET', `/v1/billing/contracts/${contractId}/cap-usage`, {
      token: h.tokens.read,
    });
    expect(usage.body).toEqual({
      contractId,
      usage: [{ capId: 'labor-year', periodKey: '2025', consumed: { amount: '0.00', currency: 'EUR' } }],
    });
  });

  it('pages and filters the document list', async () => {
    const h = hub();
    const { w, contractId } = await billable(h);
    const run = await h.call('POST', '/v1/billing/recurring-fees/generate', {
      body: { periodStart: '2025-01-01', periodEnd: '2025-03-31' },
      token: h.tokens.write,
    });
    expect(run.status).toBe(200);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const query = `contractId=${contractId}&kind=recurring_fee&status=draft&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await h.call('GET', `/v1/billing/documents?${query}`, { token: h.tokens.read });
      ids.push(...(res.body.data as BillingDocument[]).map((d) => d.id));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) break;
    }
    expect(ids).toHaveLength(3);
    const feb = await h.call(
      'GET',
      `/v1/billing/documents?customerId=${w.customerId}&from=2025-02-01&to=2025-02-28`,
    );
    expect((feb.body.data as BillingDocument[]).map((d) => d.period?.key)).toEqual(['2025-02']);
    const bad = await h.call('GET', '/v1/billing/documents?status=paid&from=yesterday');
    expect(bad.status).toBe(400);
    expect((bad.body.errors ?? []).map((e) => e.path).sort()).toEqual(['/query/from', '/query/status']);
  });

  it('a missing price is a 422 naming the item and the lists, and nothing is written', async () => {
    const h = hub();
    const { wo, w } = await billable(h, { valveUnpriced: true });
    await expectNothingWritten(h, async () => {
      const res = await h.call('POST', `/v1/billing/documents/from-work-order/${wo.id}`);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'unprocessable',
        detail: `work order ${wo.number} cannot be priced: no price for item ${w.items.valve} (sku VLV-${w.tag}) in customer price list ACME-${w.tag} nor in default price list STD-EUR`,
        reason: 'missing_price',
        itemId: w.items.valve,
        priceListIds: [w.customerList.id, w.defaultList.id],
      });
    });
  });

  it('refuses bad requests without writing: scopes, unknown ids, bodies, runs', async () => {
    const h = hub();
    const { wo } = await billable(h);
    await expectNothingWritten(h, async () => {
      expect(
        (await h.call('POST', `/v1/billing/documents/from-work-order/${wo.id}`, { token: h.tokens.read }))
          .status,
      ).toBe(403);
      expect(
        (await h.call('POST', `/v1/billing/documents/from-work-order/${wo.id}`, { token: null })).status,
      ).toBe(401);
      expect((await h.call('POST', '/v1/billing/documents/from-work-order/unknown')).status).toBe(404);
      expect((await h.call('GET', '/v1/billing/documents/unknown')).status).toBe(404);
      expect((await h.call('POST', '/v1/billing/documents/unknown/approve')).status).toBe(404);
      expect((await h.call('POST', '/v1/billing/documents/unknown/credit', { body: {} })).status).toBe(400);
      const run = await h.call('POST', '/v1/billing/recurring-fees/generate', {
        body: { asOf: '2025-01-01', periodEnd: '2025-02-01' },
      });
      expect(run.status).toBe(400);
      const text = await h.call('POST', '/v1/billing/recurring-fees/generate', {
        rawBody: 'asOf=2025-01-01',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
      const batch = await h.call('POST', '/v1/billing/documents/bill-completed', {
        body: { since: 'last week' },
      });
      expect(batch.status).toBe(400);
    });
  });
});

import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/connectors/sdk/index.js';
import type { TrytonConnectorSession } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { collect, createGoods, recordCalls } from './fixtures.js';
import { configFor } from './support.js';

const skip = trytonSkipReason();

describe.skipIf(skip !== undefined)(`tryton customer invoices, live ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let client: TrytonClient;
  let session: TrytonConnectorSession;
  const customerId = '0192f000-0000-7000-8000-0000000000c1';

  const connect = async (overrides: Parameters<typeof configFor>[1] = {}) =>
    (await trytonConnector.connect(configFor(tryton, overrides))) as TrytonConnectorSession;

  /** A billing document as the billing module prices it: Money amounts, cost center per line. */
  const billing = (reference: string): WriteOp => ({
    idempotencyKey: `evt-${reference}`,
    op: 'create',
    payload: {
      reference,
      description: `Work order WO-2026-00042 (${reference})`,
      party: customerId,
      date: '2026-03-02',
      costCenter: 'CC-NORTH',
      lines: [
        {
          lineNo: 1,
          kind: 'labor',
          description: 'Repair labor, 2 h',
          quantity: '2',
          unitPrice: { amount: '80.00', currency: 'EUR' },
          netAmount: { amount: '160.00', currency: 'EUR' },
        },
        {
          lineNo: 2,
          kind: 'part',
          description: 'Filter cartridge',
          sku: 'FLT-9',
          quantity: '3',
          unitPrice: { amount: '12.50', currency: 'EUR' },
          netAmount: { amount: '30.00', currency: 'EUR' },
          costCenter: 'CC-SOUTH',
        },
        {
          lineNo: 3,
          kind: 'fee',
          description: 'Call-out',
          quantity: '1',
          unitPrice: { amount: '45.00', currency: 'EUR' },
          netAmount: { amount: '0.00', currency: 'EUR' },
        },
      ],
    },
  });

  const invoicesWith = (reference: string) =>
    client.searchRead<{
      id: number;
      state: string;
      number: string | null;
      total_amount: string;
      lines: number[];
    }>('account.invoice', [['reference', '=', reference]], {
      fields: ['state', 'number', 'total_amount', 'lines'],
    });

  beforeAll(async () => {
    tryton = await startTryton();
    client = tryton.client();
    await createGoods(tryton, 'FLT-9', { listPrice: '12.50' });
    session = await connect();
    const [party] = await session.writeBatch('party', [
      {
        idempotencyKey: 'cust-evt',
        op: 'create',
        reference: customerId,
        payload: {
          name: 'Acme Heating',
          sites: [{ name: 'Head office', line1: '1 Main St', city: 'Lyon', country: 'FR', isBilling: true }],
        },
      },
    ]);
    expect(party?.ok).toBe(true);
  });
  afterAll(async () => {
    await session?.close();
    await tryton?.stop();
  });

  it('posts an invoice with one line per billing line, totals equal to the net, cost centers as analytic accounts', async () => {
    const [result] = await session.writeBatch('invoice', [billing('BD-2026-0001')]);
    expect(result?.ok).toBe(true);
    const [invoice] = await invoicesWith('BD-2026-0001');
    expect(invoice?.state).toBe('posted');
    expect(invoice?.number).toMatch(/^INV\d{4}-\d+$/);
    expect(result?.ok && result.externalId).toBe(String(invoice?.id));
    expect(new Decimal(invoice?.total_amount ?? 'NaN').eq('190')).toBe(true);
    const lines = await client.read<{
      id: number;
      description: string;
      quantity: number;
      unit_price: string;
      amount: string;
      analytic_accounts: number[];
      product: number | null;
    }>('account.invoice.line', invoice?.lines ?? [], [
      'description',
      'quantity',
      'unit_price',
      'amount',
      'analytic_accounts',
      'product',
    ]);
    lines.sort((a, b) => a.id - b.id);
    expect(lines.map((l) => [l.description, l.quantity, new Decimal(l.amount).toFixed(2)])).toEqual([
      ['Repair labor, 2 h', 2, '160.00'],
      ['Filter cartridge', 3, '30.00'],
      ['Call-out', 1, '0.00'],
    ]);
    expect(new Decimal(lines[1]?.unit_price ?? 'NaN').eq('10')).toBe(true); // net 30 ÷ 3, exact
    expect(lines[1]?.product).not.toBeNull();
    const entries = await client.read<{ id: number; account: number; root: number }>(
      'analytic.account.entry',
      lines.flatMap((l) => l.analytic_accounts),
      ['account', 'root'],
    );
    const accountOf = new Map(entries.map((e) => [e.id, e.account]));
    const { costCenters, rootId } = tryton.setup.analytic;
    expect(lines.map((l) => l.analytic_accounts.map((e) => accountOf.get(e)))).toEqual([
      [costCenters['CC-NORTH']],
      [costCenters['CC-SOUTH']],
      [costCenters['CC-NORTH']],
    ]);
    expect(entries.every((e) => e.root === rootId)).toBe(true);
    const analyticLines = await client.searchRead<{ account: number; credit: string }>(
      'analytic_account.line',
      [],
      {
        fields: ['account', 'credit'],
      },
    );
    expect(
      analyticLines.find((l) => l.account === costCenters['CC-SOUTH'] && new Decimal(l.credit).eq(30)),
    ).toBeDefined();
  });

  it('re-sending the same billing document (after a crash before our commit) creates no second invoice', async () => {
    const op = billing('BD-2026-0002');
    const [first] = await session.writeBatch('invoice', [op]);
    const [again] = await session.writeBatch('invoice', [{ ...op, idempotencyKey: 'another-delivery' }]);
    expect(again).toMatchObject({ ok: true, replayed: true, externalId: first?.ok ? first.externalId : 'x' });
    expect(await invoicesWith('BD-2026-0002')).toHaveLength(1);
  });

  it('leaves invoices in draft when configured, and a later posting attempt posts the draft it finds', async () => {
    const drafting = await connect({ invoiceState: 'draft' });
    const op = billing('BD-2026-0003');
    const [draft] = await drafting.writeBatch('invoice', [op]);
    expect(draft?.ok).toBe(true);
    expect((await invoicesWith('BD-2026-0003')).map((i) => [i.state, i.number])).toEqual([['draft', null]]);
    // The same op through a posting connector: the state of an attempt cut short between create and post.
    const [posted] = await session.writeBatch('invoice', [op]);
    expect(posted).toMatchObject({ ok: true, replayed: true });
    expect((await invoicesWith('BD-2026-0003')).map((i) => i.state)).toEqual(['posted']);
    await drafting.close();
  });

  it('refuses per op what cannot be invoiced: unknown customer, unknown cost center, party without address', async () => {
    const [noAddress] = await session.writeBatch('party', [
      {
        idempotencyKey: 'p2',
        op: 'create',
        reference: 'cust-no-address',
        payload: { name: 'No Address Ltd' },
      },
    ]);
    expect(noAddress?.ok).toBe(true);
    const base = billing('BD-2026-0004');
    const results = await session.writeBatch('invoice', [
      {
        ...base,
        idempotencyKey: 'x1',
        payload: { ...base.payload, reference: 'BD-X1', party: 'no-such-customer' },
      },
      {
        ...base,
        idempotencyKey: 'x2',
        payload: { ...base.payload, reference: 'BD-X2', costCenter: 'CC-WEST' },
      },
      {
        ...base,
        idempotencyKey: 'x3',
        payload: { ...base.payload, reference: 'BD-X3', party: 'cust-no-address' },
      },
      base,
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual([
      'validation',
      'validation',
      'validation',
      'ok',
    ]);
    expect(results.map((r) => (r.ok ? '' : r.error.message)).join(' | ')).toMatch(
      /party.*no-such-customer.*CC-WEST.*no address/s,
    );
    expect(await invoicesWith('BD-X1')).toHaveLength(0);
  });

  it('posts a credit note (negative billing lines) as a negative customer invoice', async () => {
    const [result] = await session.writeBatch('invoice', [
      {
        idempotencyKey: 'evt-credit',
        op: 'create',
        payload: {
          reference: 'CN-2026-0001',
          party: customerId,
          costCenter: 'CC-NORTH',
          lines: [
            {
              description: 'Credit: Repair labor, 2 h',
              quantity: '-2',
              unitPrice: { amount: '80.00', currency: 'EUR' },
              netAmount: { amount: '-160.00', currency: 'EUR' },
            },
          ],
        },
      },
    ]);
    expect(result?.ok).toBe(true);
    const [credit] = await invoicesWith('CN-2026-0001');
    expect(credit?.state).toBe('posted');
    expect(new Decimal(credit?.total_amount ?? 'NaN').eq('-160')).toBe(true);
  });

  it('looks up no first attempt keyed by its own delivery, but its retry and explicit references', async () => {
    const probe = await connect();
    const calls = recordCalls(probe.client);
    const searches = () => calls.filter((c) => c.method === 'model.account.invoice.search_read').length;
    const { reference: _reference, ...payload } = billing('unused').payload;
    const op: WriteOp = { idempotencyKey: 'evt-first-invoice', op: 'create', payload, firstAttempt: true };
    const [first] = await probe.writeBatch('invoice', [op]);
    expect(first?.ok).toBe(true);
    expect(searches()).toBe(0);
    // The engine's retry of it carries no firstAttempt: looked up, found.
    const [retried] = await probe.writeBatch('invoice', [{ ...op, firstAttempt: undefined }]);
    expect(retried).toMatchObject({
      ok: true,
      replayed: true,
      externalId: first?.ok ? first.externalId : 'x',
    });
    expect(searches()).toBe(1);
    expect(await invoicesWith('evt-first-invoice')).toHaveLength(1);
    // A document number can come back in another event: an explicit reference is always looked up.
    const [again] = await probe.writeBatch('invoice', [
      { ...billing('BD-2026-0002'), idempotencyKey: 'yet-another-delivery', firstAttempt: true },
    ]);
    expect(again).toMatchObject({ ok: true, replayed: true });
    expect(searches()).toBe(2);
    expect(await invoicesWith('BD-2026-0002')).toHaveLength(1);
    await probe.close();
  });

  it('reads invoices back with lines, totals and cost centers', async () => {
    const invoices = await collect(session.readAll('invoice'));
    const first = invoices.find((i) => i.data.reference === 'BD-2026-0001');
    expect(first?.data).toMatchObject({
      state: 'posted',
      totalAmount: expect.stringMatching(/^190(\.0+)?$/),
      currency: 'EUR',
      partyName: 'Acme Heating',
      lines: [
        expect.objectContaining({ description: 'Repair labor, 2 h', costCenters: ['CC-NORTH'] }),
        expect.objectContaining({ description: 'Filter cartridge', sku: 'FLT-9', costCenters: ['CC-SOUTH'] }),
        expect.objectContaining({ description: 'Call-out', costCenters: ['CC-NORTH'] }),
      ],
    });
  });
});

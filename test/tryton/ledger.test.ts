import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, WriteOp } from '../../src/connectors/sdk/index.js';
import type { TrytonConnectorSession } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { createAsset, postDepreciation, setUpAssetAccounting } from './assets-setup.js';
import { changesSince, collect, recordCalls } from './fixtures.js';
import { configFor } from './support.js';

const skip = trytonSkipReason();
const year = new Date().getUTCFullYear();

describe.skipIf(skip !== undefined)(`tryton costs, labor and assets, live ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let client: TrytonClient;
  let session: TrytonConnectorSession;
  let boiler: number;

  beforeAll(async () => {
    tryton = await startTryton();
    client = tryton.client();
    session = (await trytonConnector.connect(configFor(tryton))) as TrytonConnectorSession;
    boiler = (await setUpAssetAccounting(tryton, 'BOILER-X200')).product;
  });
  afterAll(async () => {
    await session?.close();
    await tryton?.stop();
  });

  it('books a maintenance cost on the asset cost center as a posted move with an analytic line, once', async () => {
    const op: WriteOp = {
      idempotencyKey: 'cost-evt-1',
      op: 'create',
      payload: {
        amount: { amount: '185.40', currency: 'EUR' },
        costCenter: 'CC-SOUTH',
        date: `${year}-03-05`,
        description: 'Maintenance A-17',
      },
    };
    const [first] = await session.writeBatch('analytic_line', [op]);
    const [again] = await session.writeBatch('analytic_line', [op]);
    expect(first?.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, replayed: true, externalId: first?.ok ? first.externalId : 'x' });
    const [move] = await client.read<{ state: string; description: string; lines: number[] }>(
      'account.move',
      [Number(first?.ok && first.externalId)],
      ['state', 'description', 'lines'],
    );
    expect(move).toMatchObject({ state: 'posted', description: 'Maintenance A-17 [fieldsync:cost-evt-1]' });
    const analytic = (await collect(session.readAll('analytic_line'))).filter(
      (l) => l.data.costCenter === 'CC-SOUTH',
    );
    expect(analytic.map((l) => [l.data.amount, l.data.date])).toEqual([['185.4', `${year}-03-05`]]);
  });

  it('books a work order cost change over several cost centers as one move: giving back and adding, netted', async () => {
    const op: WriteOp = {
      idempotencyKey: 'cost-evt-2',
      op: 'create',
      payload: {
        description: 'Maintenance WO-2026-00043',
        date: `${year}-03-06`,
        // As work_order.costed lines: extra keys are ignored.
        lines: [
          {
            costCenter: 'CC-NORTH',
            currency: 'EUR',
            amount: '30',
            labor: '0',
            parts: '30',
            assetIds: ['a1'],
          },
          {
            costCenter: 'CC-SOUTH',
            currency: 'EUR',
            amount: '-12.5',
            labor: '0',
            parts: '-12.5',
            assetIds: [],
          },
        ],
      },
    };
    const [first] = await session.writeBatch('analytic_line', [op]);
    const [again] = await session.writeBatch('analytic_line', [op]);
    expect(first?.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, replayed: true });
    const moveId = Number(first?.ok && first.externalId);
    const lines = await client.searchRead<{ debit: string; credit: string; account: number }>(
      'analytic_account.line',
      [['move_line.move', '=', moveId]],
      { fields: ['debit', 'credit', 'account'], order: [['account', 'ASC']] },
    );
    const cc = tryton.setup.analytic.costCenters;
    expect(
      lines
        .map((l) => [l.account, new Decimal(l.debit).minus(l.credit).toFixed(2)])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual(
      [
        [cc['CC-NORTH'], '30.00'],
        [cc['CC-SOUTH'], '-12.50'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    const [move] = await client.read<{ state: string; lines: number[] }>(
      'account.move',
      [moveId],
      ['state', 'lines'],
    );
    // Two expense lines and one counterpart line for the net 17.50.
    expect(move).toMatchObject({ state: 'posted' });
    expect(move?.lines).toHaveLength(3);
  });

  it('refuses a cost in another currency than the company one, and a payload that mixes both forms, naming why', async () => {
    const [usd, mixed, empty] = await session.writeBatch('analytic_line', [
      {
        idempotencyKey: 'cost-usd',
        op: 'create',
        payload: { lines: [{ costCenter: 'CC-NORTH', amount: '10', currency: 'USD' }] },
      },
      {
        idempotencyKey: 'cost-mixed',
        op: 'create',
        payload: { amount: '10', costCenter: 'CC-NORTH', lines: [{ costCenter: 'CC-NORTH', amount: '10' }] },
      },
      { idempotencyKey: 'cost-empty', op: 'create', payload: { description: 'nothing' } },
    ]);
    expect(usd).toMatchObject({
      ok: false,
      error: {
        errorClass: 'validation',
        message: expect.stringContaining("lines[0]: a cost in USD is not in the company's currency"),
      },
    });
    expect(mixed).toMatchObject({
      ok: false,
      error: { errorClass: 'validation', message: expect.stringContaining('not both') },
    });
    expect(empty).toMatchObject({
      ok: false,
      error: {
        errorClass: 'validation',
        message: expect.stringContaining('give lines, or amount and costCenter'),
      },
    });
    const tagged = await client.search('account.move', [['description', 'like', '%[fieldsync:cost-usd]']]);
    expect(tagged).toEqual([]);
  });

  it('books labor as timesheet lines on the work order, once, with employee found by technician name', async () => {
    const op: WriteOp = {
      idempotencyKey: 'labor-evt-1',
      op: 'create',
      payload: {
        work: 'WO-2026-00042',
        label: 'WO-2026-00042',
        lines: [
          {
            technicianId: 't1',
            technicianName: 'Test Technician',
            laborType: 'repair',
            durationMinutes: 95,
            startedAt: `${year}-03-02T08:00:00Z`,
          },
          {
            technicianId: 't1',
            technicianName: 'Test Technician',
            laborType: 'travel',
            durationMinutes: 30,
            startedAt: `${year}-03-02T07:20:00Z`,
          },
        ],
      },
    };
    const [first] = await session.writeBatch('timesheet_line', [op]);
    const [again] = await session.writeBatch('timesheet_line', [op]);
    expect(first?.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, replayed: true });
    const lines = (await collect(session.readAll('timesheet_line'))).filter(
      (l) => l.data.fieldsyncReference === 'labor-evt-1',
    );
    expect(lines.map((l) => [l.data.workName, l.data.hours, l.data.date, l.data.employee])).toEqual([
      ['WO-2026-00042', '1.5833', `${year}-03-02`, tryton.setup.employee.id],
      ['WO-2026-00042', '0.5', `${year}-03-02`, tryton.setup.employee.id],
    ]);
    const [unknown] = await session.writeBatch('timesheet_line', [
      {
        idempotencyKey: 'labor-evt-2',
        op: 'create',
        payload: { lines: [{ technicianName: 'Nobody Known', durationMinutes: 10 }] },
      },
    ]);
    expect(unknown?.ok === false && unknown.error.errorClass).toBe('validation');
  });

  it('looks up neither a cost nor labor on their first attempt, and finds both on the retry', async () => {
    const probe = (await trytonConnector.connect(configFor(tryton))) as TrytonConnectorSession;
    const calls = recordCalls(probe.client);
    const searches = (model: string) => calls.filter((c) => c.method === `model.${model}.search_read`).length;
    const cost: WriteOp = {
      idempotencyKey: 'cost-first',
      op: 'create',
      firstAttempt: true,
      payload: {
        amount: { amount: '12.00', currency: 'EUR' },
        costCenter: 'CC-SOUTH',
        date: `${year}-03-06`,
        description: 'Maintenance A-18',
      },
    };
    const labor: WriteOp = {
      idempotencyKey: 'labor-first',
      op: 'create',
      firstAttempt: true,
      payload: { work: 'WO-2026-00043', lines: [{ technicianName: 'Test Technician', durationMinutes: 15 }] },
    };
    const [costFirst] = await probe.writeBatch('analytic_line', [cost]);
    const [laborFirst] = await probe.writeBatch('timesheet_line', [labor]);
    expect([costFirst?.ok, laborFirst?.ok]).toEqual([true, true]);
    expect([searches('account.move'), searches('timesheet.line')]).toEqual([0, 0]);
    const [costAgain] = await probe.writeBatch('analytic_line', [{ ...cost, firstAttempt: undefined }]);
    const [laborAgain] = await probe.writeBatch('timesheet_line', [{ ...labor, firstAttempt: undefined }]);
    expect(costAgain).toMatchObject({
      ok: true,
      replayed: true,
      externalId: costFirst?.ok && costFirst.externalId,
    });
    expect(laborAgain).toMatchObject({ ok: true, replayed: true });
    expect([searches('account.move'), searches('timesheet.line')]).toEqual([1, 1]);
    expect(
      await client.search('timesheet.line', [['description', 'like', '%[fieldsync:labor-first]']]),
    ).toHaveLength(1);
    await probe.close();
  });

  it('reads assets with book value and depreciation; posted depreciation shows up incrementally', async () => {
    const asset = await createAsset(tryton, boiler, { value: '2400.00', year, costCenter: 'CC-NORTH' });
    const before = await collect(session.readAll('asset'));
    expect(before.find((a) => a.externalId === String(asset))?.data).toMatchObject({
      state: 'running',
      sku: 'BOILER-X200',
      value: expect.stringMatching(/^2400(\.00)?$/),
      bookValue: expect.stringMatching(/^2400(\.00)?$/),
      costCenters: ['CC-NORTH'],
      postedLines: 0,
      scheduledLines: 24,
    });
    const { cursor } = await changesSince(session, 'asset_depreciation', null);
    // Small pages: the asset and line keysets are merged across page boundaries (24 lines share stamps).
    const { cursor: assetCursor } = await changesSince(session, 'asset', null, 5);
    await postDepreciation(tryton, `${year}-03-31`);
    const { records } = await changesSince(session, 'asset_depreciation', cursor as Cursor | null);
    expect(records.filter((r) => r.data.asset === asset && r.data.posted).map((r) => r.data.date)).toEqual([
      `${year}-01-31`,
      `${year}-02-${new Date(Date.UTC(year, 2, 0)).getUTCDate()}`,
      `${year}-03-31`,
    ]);
    const after = (await collect(session.readAll('asset'))).find((a) => a.externalId === String(asset));
    expect(new Decimal(String(after?.data.bookValue)).eq('2100')).toBe(true);
    expect(new Decimal(String(after?.data.accumulatedDepreciation)).eq('300')).toBe(true);

    // The asset itself follows its postings: its incremental read returns it once, valued after them,
    // although posting moved only the lines' stamps; a read from there returns nothing more.
    const posted = await changesSince(session, 'asset', assetCursor ?? null, 5);
    const mine = posted.records.filter((r) => r.externalId === String(asset));
    expect(mine).toHaveLength(1);
    expect(new Decimal(String(mine[0]?.data.bookValue)).eq('2100')).toBe(true);
    expect(new Decimal(String(mine[0]?.data.accumulatedDepreciation)).eq('300')).toBe(true);
    expect((await changesSince(session, 'asset', posted.cursor ?? null, 5)).records).toEqual([]);
  });

  it('disposes of a running asset (Tryton closes it), treats a closed one as done, refuses drafts and ghosts', async () => {
    const running = await createAsset(tryton, boiler, { value: '1200.00', year });
    const draft = await createAsset(tryton, boiler, { value: '600.00', year, run: false });
    const dispose = (key: string, id: number | string): WriteOp => ({
      idempotencyKey: key,
      op: 'dispose',
      externalId: String(id),
      payload: { disposalDate: `${year}-06-30`, reason: 'replaced' },
    });
    const results = await session.writeBatch('asset', [
      dispose('d1', running),
      dispose('d2', draft),
      dispose('d3', 999999),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual(['ok', 'validation', 'not_found']);
    const [state] = await client.read<{ state: string; move: number | null }>(
      'account.asset',
      [running],
      ['state', 'move'],
    );
    expect(state?.state).toBe('closed');
    expect(state?.move).not.toBeNull();
    const [again] = await session.writeBatch('asset', [dispose('d1', running)]);
    expect(again).toMatchObject({ ok: true, replayed: true, externalId: String(running) });
  });

  it('reads confirmed purchases of asset products as equipment to install', async () => {
    const [supplier] = await client.create('party.party', [
      { name: 'Boiler Supplier', addresses: [['create', [{ street: '9 Industry Rd', city: 'Lille' }]]] },
    ]);
    const [address] = await client.search('party.address', [['party', '=', supplier]]);
    const [purchase] = await client.create('purchase.purchase', [
      {
        party: supplier,
        invoice_address: address,
        company: tryton.setup.company.id,
        currency: tryton.setup.company.currencyId,
        warehouse: tryton.setup.locations.warehouse,
        purchase_date: `${year}-02-10`,
        reference: 'SUP-PO-77',
        lines: [
          [
            'create',
            [
              {
                product: boiler,
                quantity: 2,
                unit: tryton.setup.uom.unit,
                unit_price: '2400.00',
                description: 'Boiler X200',
              },
            ],
          ],
        ],
      },
    ]);
    const { cursor } = await changesSince(session, 'asset_purchase', null);
    await client.execute('purchase.purchase', 'quote', [purchase as number], { acknowledgeWarnings: true });
    await client.execute('purchase.purchase', 'confirm', [purchase as number], { acknowledgeWarnings: true });
    const { records } = await changesSince(session, 'asset_purchase', cursor as Cursor | null);
    expect(records.map((r) => r.externalId)).toEqual([String(purchase)]);
    expect(records[0]?.data).toMatchObject({
      reference: 'SUP-PO-77',
      supplier: 'Boiler Supplier',
      purchaseDate: `${year}-02-10`,
      lines: [{ sku: 'BOILER-X200', quantity: '2', unitPrice: expect.stringMatching(/^2400/) }],
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/connectors/sdk/index.js';
import type { TrytonConnectorSession } from '../../src/connectors/tryton/index.js';
import { trytonConnector } from '../../src/connectors/tryton/index.js';
import type { TrytonClient } from '../../src/connectors/tryton/transport/index.js';
import { startTryton, trytonSkipReason } from '../support/tryton/index.js';
import type { TrytonHandle } from '../support/tryton/index.js';
import { collect, createGoods, createStorage, onHand, tagAttachments } from './fixtures.js';
import { configFor } from './support.js';

const skip = trytonSkipReason();

describe.skipIf(skip !== undefined)(`tryton stock moves and counts, live ${skip ?? ''}`, () => {
  let tryton: TrytonHandle;
  let client: TrytonClient;
  let session: TrytonConnectorSession;
  let product: number;
  let storage: number;
  let van: number;
  const vanWarehouseId = '0192f000-0000-7000-8000-00000000van1';

  const connect = async (overrides: Parameters<typeof configFor>[1] = {}) =>
    (await trytonConnector.connect(
      configFor(tryton, {
        acknowledgeWarnings: ['stock.move.do'],
        warehouseLocations: { [vanWarehouseId]: 'VAN-1', 'VAN-1': 'VAN-1' },
        ...overrides,
      }),
    )) as TrytonConnectorSession;

  /** Moves tagged with `reference`, through the attachments the connector writes. */
  const taggedMoves = async (reference: string) => {
    const ids = (await tagAttachments(client, 'stock.move', reference)).flatMap((a) => a.ids);
    return ids.length === 0
      ? []
      : client.read<{ id: number; state: string; to_location: number }>('stock.move', ids, [
          'state',
          'to_location',
        ]);
  };

  beforeAll(async () => {
    tryton = await startTryton();
    client = tryton.client();
    storage = tryton.setup.locations.storage;
    product = await createGoods(tryton, 'BRG-1', { costPrice: '7.50' });
    van = await createStorage(tryton, 'VAN-1');
    session = await connect();
  });
  afterAll(async () => {
    await session?.close();
    await tryton?.stop();
  });

  it('receives, transfers to a van and consumes on a work order: moves done, on-hand exact', async () => {
    const ops: WriteOp[] = [
      {
        idempotencyKey: 'rcv-1',
        op: 'create',
        payload: { kind: 'receipt', lines: [{ sku: 'BRG-1', quantity: '20' }] },
      },
      {
        idempotencyKey: 'trf-1',
        op: 'create',
        payload: {
          kind: 'transfer',
          location: 'stock.location_storage',
          to: 'VAN-1',
          lines: [{ sku: 'BRG-1', quantity: '5' }],
        },
      },
    ];
    const results = await session.writeBatch('stock_move', ops);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(await onHand(client, product, storage)).toBe(15); // the van is a sibling of storage, not a child
    expect(await onHand(client, product, van)).toBe(5);

    // A completed work order's part lines, as the event carries them (extra keys ignored).
    const [consumed] = await session.writeBatch('stock_move', [
      {
        idempotencyKey: 'wo-1-parts',
        op: 'create',
        reference: 'work-order-1',
        payload: {
          kind: 'consumption',
          label: 'WO-2026-00001',
          date: '2026-03-02T10:00:00+01:00',
          lines: [
            {
              id: 'p1',
              itemId: 'i1',
              sku: 'BRG-1',
              name: 'Bearing',
              quantity: '2',
              warehouseId: vanWarehouseId,
              serials: [],
            },
          ],
        },
      },
    ]);
    expect(consumed?.ok).toBe(true);
    expect(await onHand(client, product, van)).toBe(3);
    const moves = await taggedMoves('wo-1-parts');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ state: 'done', to_location: tryton.setup.locations.customer });
    expect(consumed?.ok && consumed.externalId).toBe(String(moves[0]?.id));
    const [move] = await client.read<{ effective_date: string; from_location: number }>(
      'stock.move',
      [moves[0]?.id as number],
      ['effective_date', 'from_location'],
    );
    expect(move).toEqual(expect.objectContaining({ effective_date: '2026-03-02', from_location: van }));
    const [label] = await tagAttachments(client, 'stock.move', 'wo-1-parts');
    expect([label?.name, label?.label]).toEqual(['WO-2026-00001', 'WO-2026-00001']);
  });

  it('re-sending the same op (a crash after Tryton answered, before our commit) moves nothing twice', async () => {
    const op: WriteOp = {
      idempotencyKey: 'wo-2-parts',
      op: 'create',
      payload: { label: 'WO-2026-00002', lines: [{ sku: 'BRG-1', quantity: '1', warehouseId: 'VAN-1' }] },
    };
    const [first] = await session.writeBatch('stock_move', [op]);
    const before = await onHand(client, product, van);
    const [second] = await session.writeBatch('stock_move', [op]);
    const [third] = await (await connect()).writeBatch('stock_move', [op]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({
      ok: true,
      replayed: true,
      externalId: first?.ok ? first.externalId : 'x',
    });
    expect(third).toMatchObject({ ok: true, replayed: true });
    expect(await onHand(client, product, van)).toBe(before);
    expect(await taggedMoves('wo-2-parts')).toHaveLength(1);
  });

  it('two ops with the same reference in one batch create one set of moves', async () => {
    const before = await onHand(client, product, van);
    const payload = { reference: 'movement-77', lines: [{ sku: 'BRG-1', quantity: '1', location: 'VAN-1' }] };
    const results = await session.writeBatch('stock_move', [
      { idempotencyKey: 'a', op: 'create', payload },
      { idempotencyKey: 'b', op: 'create', payload },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results[1]).toMatchObject({ replayed: true });
    expect(await onHand(client, product, van)).toBe(before - 1);
  });

  it('an attempt interrupted between create and do (warning not acknowledged) is finished by the retry', async () => {
    const strict = await connect({ acknowledgeWarnings: false });
    const op: WriteOp = {
      idempotencyKey: 'wo-3-parts',
      op: 'create',
      payload: { lines: [{ sku: 'BRG-1', quantity: '1', location: 'VAN-1' }] },
    };
    const before = await onHand(client, product, van);
    const [refused] = await strict.writeBatch('stock_move', [op]);
    expect(refused?.ok).toBe(false);
    if (refused && !refused.ok) {
      expect(refused.error.errorClass).toBe('validation');
      expect(refused.error.vendorDetail).toMatchObject({ kind: 'UserWarning' });
    }
    expect((await taggedMoves('wo-3-parts')).map((m) => m.state)).toEqual(['draft']);
    expect(await onHand(client, product, van)).toBe(before);

    const [retried] = await session.writeBatch('stock_move', [op]);
    expect(retried).toMatchObject({ ok: true, replayed: true });
    expect((await taggedMoves('wo-3-parts')).map((m) => m.state)).toEqual(['done']);
    expect(await onHand(client, product, van)).toBe(before - 1);
    await strict.close();
  });

  it('pins a refusal on its op: an unknown SKU fails, the other op of the batch is done', async () => {
    const before = await onHand(client, product, van);
    const results = await session.writeBatch('stock_move', [
      {
        idempotencyKey: 'bad-sku',
        op: 'create',
        payload: { lines: [{ sku: 'NOPE-404', quantity: '1', location: 'VAN-1' }] },
      },
      {
        idempotencyKey: 'good-sku',
        op: 'create',
        payload: { lines: [{ sku: 'BRG-1', quantity: '1', location: 'VAN-1' }] },
      },
      {
        idempotencyKey: 'bad-wh',
        op: 'create',
        payload: { lines: [{ sku: 'BRG-1', quantity: '1', warehouseId: 'unmapped' }] },
      },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual([
      'validation',
      'ok',
      'validation',
    ]);
    expect(results[2]?.ok === false && results[2].error.message).toMatch(/warehouseLocations/);
    expect(await onHand(client, product, van)).toBe(before - 1);
  });

  it("a line's warehouse: warehouseLocations by id, then by the warehouse's code, else its erpLocationRef", async () => {
    const before = {
      van: await onHand(client, product, van),
      storage: await onHand(client, product, storage),
    };
    const line = (warehouseId: string) => ({ sku: 'BRG-1', quantity: '1', warehouseId });
    const results = await session.writeBatch('stock_move', [
      {
        idempotencyKey: 'wh-by-ref',
        op: 'create',
        // Not in the config: the warehouse's own Tryton location, as work_order.completed carries it.
        payload: {
          lines: [line('van-9')],
          warehouses: [{ id: 'van-9', code: 'V9', erpLocationRef: 'stock.location_storage' }],
        },
      },
      {
        idempotencyKey: 'wh-by-code',
        op: 'create',
        // The config's entry for the code wins over the ref (a return: into the van).
        payload: {
          kind: 'return',
          lines: [line('van-10')],
          warehouses: [{ id: 'van-10', code: 'VAN-1', erpLocationRef: 'stock.location_storage' }],
        },
      },
      {
        idempotencyKey: 'wh-no-ref',
        op: 'create',
        payload: {
          lines: [line('van-11')],
          warehouses: [{ id: 'van-11', code: 'V11', erpLocationRef: null }],
        },
      },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.errorClass))).toEqual(['ok', 'ok', 'validation']);
    expect(results[2]?.ok === false && results[2].error.message).toMatch(/erpLocationRef/);
    expect(await onHand(client, product, storage)).toBe(before.storage - 1);
    expect(await onHand(client, product, van)).toBe(before.van + 1);
  });

  it('a work order with several parts: one tag for all its moves, every move read back with the reference', async () => {
    const op: WriteOp = {
      idempotencyKey: 'wo-4-parts',
      op: 'create',
      payload: {
        label: 'WO-2026-00004',
        lines: [
          { sku: 'BRG-1', quantity: '1', location: 'VAN-1' },
          { sku: 'BRG-1', quantity: '2', location: 'VAN-1' },
          { sku: 'BRG-1', quantity: '1', location: 'stock.location_storage' },
        ],
      },
    };
    const vanBefore = await onHand(client, product, van);
    const [first] = await session.writeBatch('stock_move', [op]);
    const [again] = await session.writeBatch('stock_move', [op]);
    expect(first?.ok).toBe(true);
    expect(again).toMatchObject({ ok: true, replayed: true });
    expect(await onHand(client, product, van)).toBe(vanBefore - 3);
    const attachments = await tagAttachments(client, 'stock.move', 'wo-4-parts');
    expect(attachments.map((a) => a.ids.length)).toEqual([3]);
    const moves = (await collect(session.readAll('stock_move'))).filter(
      (m) => m.data.fieldsyncReference === 'wo-4-parts',
    );
    expect(moves.map((m) => [m.data.quantity, m.data.state])).toEqual([
      ['1', 'done'],
      ['2', 'done'],
      ['1', 'done'],
    ]);
  });

  it('a work order without parts moves nothing and still succeeds', async () => {
    const [result] = await session.writeBatch('stock_move', [
      { idempotencyKey: 'no-parts', op: 'create', payload: { lines: [] } },
    ]);
    expect(result).toEqual({ idempotencyKey: 'no-parts', ok: true });
  });

  it('a cycle count becomes a confirmed inventory that sets the counted quantity, once', async () => {
    const before = await onHand(client, product, van);
    const op: WriteOp = {
      idempotencyKey: 'count-1',
      op: 'create',
      payload: {
        label: 'Count VAN-1',
        warehouseId: vanWarehouseId,
        lines: [{ lineNo: 1, itemId: 'i1', sku: 'BRG-1', countedQuantity: String(before + 4) }],
      },
    };
    const [first] = await session.writeBatch('inventory', [op]);
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true });
    expect(await onHand(client, product, van)).toBe(before + 4);
    const [again] = await session.writeBatch('inventory', [op]);
    expect(again).toMatchObject({ ok: true, replayed: true });
    expect(await onHand(client, product, van)).toBe(before + 4);
    const inventories = await collect(session.readAll('inventory'));
    const mine = inventories.find((r) => r.data.fieldsyncReference === 'count-1');
    expect(mine?.data).toMatchObject({
      state: 'done',
      location: van,
      lines: [{ sku: 'BRG-1', quantity: String(before + 4) }],
    });
  });

  it('reads stock levels per product × location and the moves with their Fieldsync reference', async () => {
    const levels = await collect(session.readAll('stock_level'));
    const at = (location: number) =>
      levels.find((l) => l.externalId === `${product}@${location}`)?.data.quantity;
    expect(at(van) ?? '0').toBe(String(await onHand(client, product, van)));
    expect(at(storage) ?? '0').toBe(String(await onHand(client, product, storage))); // zero pairs are left out
    const moves = await collect(session.readAll('stock_move'));
    const consumption = moves.find((m) => m.data.fieldsyncReference === 'wo-1-parts');
    expect(consumption?.data).toMatchObject({
      sku: 'BRG-1',
      quantity: '2',
      state: 'done',
      fromLocation: van,
      toLocationType: 'customer',
    });
    const receipts = await collect(session.readAll('stock_receipt'));
    expect(receipts.map((r) => r.data.fieldsyncReference)).toEqual(['rcv-1']);
  });
});

import { expect, it } from 'vitest';
import { createItem } from '../../src/modules/items/index.js';
import {
  cancelCycleCount,
  createCycleCount,
  createWarehouse,
  getCycleCount,
  getOnHand,
  issueToWorkOrder,
  listCycleCounts,
  listMovements,
  postCycleCount,
  postReceipt,
  verifyLedgerConsistency,
} from '../../src/modules/stock/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
async function snapshot(db: Db) {
  const n = async (table: 'stock_movements' | 'outbox_events' | 'cycle_counts' | 'cycle_count_lines') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    movements: await n('stock_movements'),
    events: await n('outbox_events'),
    counts: await n('cycle_counts'),
    lines: await n('cycle_count_lines'),
    levels: await getOnHand(db, { includeZero: true }),
  };
}

describeEachEngine('cycle counts', (handle) => {
  const db = () => handle().db;
  const item = (extra: { serialTracked?: boolean } = {}) =>
    createItem(db(), { sku: unique('P'), name: 'Part', category: 'parts', listPrice: '1', ...extra });
  const warehouse = () =>
    createWarehouse(db(), { code: unique('W'), name: 'Store', kind: 'regional', region: 'south' });
  const onHand = async (itemId: string, warehouseId: string) =>
    (await getOnHand(db(), { itemId, warehouseId, includeZero: true }))[0]?.quantity ?? '0';

  it('records counted vs. expected as a draft and posts one adjustment per differing line', async () => {
    const [a, b, c] = [await item(), await item(), await item()];
    const wh = await warehouse();
    await postReceipt(db(), { itemId: a.id, warehouseId: wh.id, quantity: '10' });
    await postReceipt(db(), { itemId: b.id, warehouseId: wh.id, quantity: '4' });
    const draft = await createCycleCount(db(), {
      warehouseId: wh.id,
      lines: [
        { itemId: a.id, countedQuantity: '8.5' },
        { itemId: b.id, countedQuantity: '4' },
        { itemId: c.id, countedQuantity: '2' },
      ],
    });
    expect(draft.status).toBe('draft');
    expect(draft.lines.map((l) => [l.expectedQuantity, l.countedQuantity, l.difference])).toEqual([
      ['10', '8.5', '-1.5'],
      ['4', '4', '0'],
      ['0', '2', '2'],
    ]);
    expect(await onHand(a.id, wh.id)).toBe('10');

    const posted = await postCycleCount(db(), draft.id);
    expect(posted.status).toBe('posted');
    expect(posted.lines.map((l) => l.movementIds.length)).toEqual([1, 0, 1]);
    expect([await onHand(a.id, wh.id), await onHand(b.id, wh.id), await onHand(c.id, wh.id)]).toEqual([
      '8.5',
      '4',
      '2',
    ]);
    const adjustments = (await listMovements(db(), { warehouseId: wh.id, kind: 'adjustment' }, { limit: 10 }))
      .data;
    expect(adjustments.map((m) => [m.quantity, m.cycleCountId, m.reason])).toEqual([
      ['-1.5', draft.id, `cycle count ${draft.id}`],
      ['2', draft.id, `cycle count ${draft.id}`],
    ]);
    const events = await readEvents(db(), { subject: `cycle-count/${draft.id}` });
    expect(events.map((e) => e.type)).toEqual(['cycle_count.created', 'cycle_count.posted']);
    // For ERPs: the warehouse with its ERP location, and the lines with the items' SKUs.
    const data = events[1]?.data as { warehouse: unknown; lines: { sku: string; itemId: string }[] };
    expect(data.warehouse).toEqual({ id: wh.id, code: wh.code, erpLocationRef: wh.erpLocationRef });
    expect(data.lines.map((l) => [l.itemId, l.sku])).toEqual([
      [a.id, a.sku],
      [b.id, b.sku],
      [c.id, c.sku],
    ]);
  });

  it('posting twice is a 409 and posts nothing more', async () => {
    const a = await item();
    const wh = await warehouse();
    const draft = await createCycleCount(db(), {
      warehouseId: wh.id,
      lines: [{ itemId: a.id, countedQuantity: '3' }],
    });
    await postCycleCount(db(), draft.id);
    const before = await snapshot(db());
    const error = await caught(postCycleCount(db(), draft.id));
    expect(error.code).toBe('conflict');
    expect(error.details).toEqual({ currentStatus: 'posted', allowedFrom: ['draft'] });
    expect(await snapshot(db())).toEqual(before);
  });

  it('books the difference on top of movements made between counting and posting', async () => {
    const a = await item();
    const wh = await warehouse();
    await postReceipt(db(), { itemId: a.id, warehouseId: wh.id, quantity: '10' });
    const draft = await createCycleCount(db(), {
      warehouseId: wh.id,
      lines: [{ itemId: a.id, countedQuantity: '9' }],
    });
    await issueToWorkOrder(db(), { itemId: a.id, warehouseId: wh.id, quantity: '3', workOrderId: 'wo-1' });
    await postCycleCount(db(), draft.id);
    expect(await onHand(a.id, wh.id)).toBe('6');
  });

  it('refuses a posting that would take stock negative, posting nothing and staying a draft', async () => {
    const a = await item();
    const wh = await warehouse();
    await postReceipt(db(), { itemId: a.id, warehouseId: wh.id, quantity: '5' });
    const draft = await createCycleCount(db(), {
      warehouseId: wh.id,
      lines: [{ itemId: a.id, countedQuantity: '1' }],
    });
    await issueToWorkOrder(db(), { itemId: a.id, warehouseId: wh.id, quantity: '3', workOrderId: 'wo-2' });
    const before = await snapshot(db());
    const error = await caught(postCycleCount(db(), draft.id));
    expect(error.details).toMatchObject({ itemId: a.id, available: '2', requested: '4' });
    expect(await snapshot(db())).toEqual(before);
    expect((await getCycleCount(db(), draft.id)).status).toBe('draft');
  });

  it('rejects bad lines with 400s and writes nothing', async () => {
    const a = await item();
    const serial = await item({ serialTracked: true });
    const wh = await warehouse();
    const before = await snapshot(db());
    const duplicate = await caught(
      createCycleCount(db(), {
        warehouseId: wh.id,
        lines: [
          { itemId: a.id, countedQuantity: '1' },
          { itemId: a.id, countedQuantity: '2' },
        ],
      }),
    );
    expect(duplicate.issues[0]?.path).toEqual(['lines']);
    const negative = await caught(
      createCycleCount(db(), { warehouseId: wh.id, lines: [{ itemId: a.id, countedQuantity: '-1' }] }),
    );
    expect(negative.issues[0]?.path).toEqual(['lines', 0, 'countedQuantity']);
    const noSerials = await caught(
      createCycleCount(db(), { warehouseId: wh.id, lines: [{ itemId: serial.id, countedQuantity: '1' }] }),
    );
    expect(noSerials.issues[0]?.path).toEqual(['lines', 0, 'countedSerials']);
    const empty = await caught(createCycleCount(db(), { warehouseId: wh.id, lines: [] }));
    expect(empty.code).toBe('validation');
    const future = await caught(
      createCycleCount(db(), {
        warehouseId: wh.id,
        countedAt: '2999-01-01T00:00:00Z',
        lines: [{ itemId: a.id, countedQuantity: '1' }],
      }),
    );
    expect(future.issues[0]?.path).toEqual(['countedAt']);
    expect(await snapshot(db())).toEqual(before);
  });

  it('counts serial-tracked items by unit: missing units are written off, found ones taken in', async () => {
    const pump = await item({ serialTracked: true });
    const wh = await warehouse();
    await postReceipt(db(), {
      itemId: pump.id,
      warehouseId: wh.id,
      quantity: '3',
      serials: ['P1', 'P2', 'P3'],
    });
    const draft = await createCycleCount(db(), {
      warehouseId: wh.id,
      lines: [{ itemId: pump.id, countedQuantity: '3', countedSerials: ['P3', 'P1', 'P9'] }],
    });
    expect(draft.lines[0]).toMatchObject({
      expectedSerials: ['P1', 'P2', 'P3'],
      countedSerials: ['P1', 'P3', 'P9'],
      difference: '0',
    });
    const posted = await postCycleCount(db(), draft.id);
    expect(posted.lines[0]?.movementIds).toHaveLength(2);
    expect(await onHand(pump.id, wh.id)).toBe('3');
    expect(await verifyLedgerConsistency(db())).toMatchObject({ consistent: true });
    const p2 = await db()
      .selectFrom('stock_serials')
      .selectAll()
      .where('item_id', '=', pump.id)
      .where('serial', '=', 'P2')
      .executeTakeFirstOrThrow();
    expect(p2.status).toBe('written_off');
  });

  it('a cancelled count posts nothing and cannot be posted later', async () => {
    const a = await item();
    const wh = await warehouse();
    const draft = await createCycleCount(db(), {
      warehouseId: wh.id,
      lines: [{ itemId: a.id, countedQuantity: '7' }],
    });
    expect((await cancelCycleCount(db(), draft.id)).status).toBe('cancelled');
    const error = await caught(postCycleCount(db(), draft.id));
    expect(error.details).toMatchObject({ currentStatus: 'cancelled' });
    expect(await onHand(a.id, wh.id)).toBe('0');
    const list = await listCycleCounts(db(), { warehouseId: wh.id, status: 'cancelled' }, { limit: 10 });
    expect(list.data.map((c) => c.id)).toEqual([draft.id]);
  });
});

import { expect, it } from 'vitest';
import { createItem } from '../../src/modules/items/index.js';
import {
  createWarehouse,
  getOnHand,
  issueToWorkOrder,
  listSerials,
  postAdjustment,
  postReceipt,
  returnFromWorkOrder,
  transferStock,
  verifyLedgerConsistency,
} from '../../src/modules/stock/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
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
  const n = async (table: 'stock_movements' | 'outbox_events' | 'stock_serials') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const serials = await db
    .selectFrom('stock_serials')
    .selectAll()
    .orderBy('item_id')
    .orderBy('serial')
    .execute();
  return {
    movements: await n('stock_movements'),
    events: await n('outbox_events'),
    serials,
    levels: await getOnHand(db, { includeZero: true }),
  };
}

describeEachEngine('stock serials', (handle) => {
  const db = () => handle().db;
  const setup = async () => {
    const item = await createItem(db(), {
      sku: unique('PUMP'),
      name: 'Pump',
      category: 'pumps',
      listPrice: '300',
      serialTracked: true,
    });
    const central = await createWarehouse(db(), {
      code: unique('C'),
      name: 'Central',
      kind: 'central',
      region: 'north',
      allowNegative: true,
    });
    const van = await createWarehouse(db(), { code: unique('V'), name: 'Van', kind: 'van', region: 'north' });
    return { item, central, van };
  };
  const serialsOf = async (itemId: string) => (await listSerials(db(), { itemId }, { limit: 100 })).data;

  it('a receipt of a serial-tracked item needs exactly one distinct serial per whole unit', async () => {
    const { item, central } = await setup();
    const before = await snapshot(db());
    const cases: [string, string[] | undefined, string][] = [
      ['2', undefined, 'serials'],
      ['2', ['A'], 'serials'],
      ['2', ['A', 'B', 'C'], 'serials'],
      ['1.5', ['A', 'B'], 'quantity'],
      ['2', ['A', 'A'], 'serials'],
    ];
    for (const [quantity, serials, field] of cases) {
      const error = await caught(
        postReceipt(db(), { itemId: item.id, warehouseId: central.id, quantity, serials }),
      );
      expect(error.code).toBe('validation');
      expect(error.issues[0]?.path[0]).toBe(field);
    }
    expect(await snapshot(db())).toEqual(before);
    const movement = await postReceipt(db(), {
      itemId: item.id,
      warehouseId: central.id,
      quantity: '2',
      serials: ['SN-1', 'SN-2'],
    });
    expect(movement.serials).toEqual(['SN-1', 'SN-2']);
    expect((await serialsOf(item.id)).map((s) => [s.serial, s.status, s.warehouseId])).toEqual([
      ['SN-1', 'in_stock', central.id],
      ['SN-2', 'in_stock', central.id],
    ]);
  });

  it('refuses serials for an item that is not serial-tracked', async () => {
    const plain = await createItem(db(), {
      sku: unique('OIL'),
      name: 'Oil',
      category: 'fluids',
      listPrice: '5',
    });
    const { central } = await setup();
    const error = await caught(
      postReceipt(db(), { itemId: plain.id, warehouseId: central.id, quantity: '1', serials: ['X'] }),
    );
    expect(error.issues[0]?.path).toEqual(['serials']);
  });

  it('refuses to receive a unit that is already in stock somewhere', async () => {
    const { item, central, van } = await setup();
    await postReceipt(db(), { itemId: item.id, warehouseId: central.id, quantity: '1', serials: ['DUP'] });
    const before = await snapshot(db());
    const error = await caught(
      postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '2', serials: ['NEW', 'DUP'] }),
    );
    expect(error.code).toBe('conflict');
    expect(error.details).toMatchObject({ rule: 'serial_already_in_stock', serials: ['DUP'] });
    expect(await snapshot(db())).toEqual(before);
  });

  it('issues only units that are in that warehouse, and remembers the work order', async () => {
    const { item, central, van } = await setup();
    await postReceipt(db(), {
      itemId: item.id,
      warehouseId: central.id,
      quantity: '2',
      serials: ['S1', 'S2'],
    });
    await transferStock(db(), {
      itemId: item.id,
      fromWarehouseId: central.id,
      toWarehouseId: van.id,
      quantity: '1',
      serials: ['S1'],
    });
    const before = await snapshot(db());
    const error = await caught(
      issueToWorkOrder(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '1',
        serials: ['S2'],
        workOrderId: 'wo-1',
      }),
    );
    expect(error.details).toMatchObject({
      rule: 'serial_not_in_warehouse',
      serials: ['S2'],
      warehouseId: van.id,
    });
    expect(await snapshot(db())).toEqual(before);

    await issueToWorkOrder(db(), {
      itemId: item.id,
      warehouseId: van.id,
      quantity: '1',
      serials: ['S1'],
      workOrderId: 'wo-1',
    });
    const s1 = (await serialsOf(item.id)).find((s) => s.serial === 'S1');
    expect(s1).toMatchObject({ status: 'issued', warehouseId: null, workOrderId: 'wo-1' });
    expect(await getOnHand(db(), { itemId: item.id, includeZero: true })).toEqual(
      [
        { itemId: item.id, warehouseId: central.id, quantity: '1' },
        { itemId: item.id, warehouseId: van.id, quantity: '0' },
      ].sort((a, b) => (a.warehouseId < b.warehouseId ? -1 : 1)),
    );
  });

  it('negative stock is never possible for serial-tracked items, even where allowed', async () => {
    const { item, central } = await setup();
    const error = await caught(
      issueToWorkOrder(db(), {
        itemId: item.id,
        warehouseId: central.id,
        quantity: '1',
        serials: ['GHOST'],
        workOrderId: 'wo-2',
      }),
    );
    expect(error.details).toMatchObject({ rule: 'serial_not_in_warehouse' });
  });

  it('returns bring back units issued to that work order (or never seen), not units of another', async () => {
    const { item, van, central } = await setup();
    await postReceipt(db(), { itemId: item.id, warehouseId: van.id, quantity: '2', serials: ['R1', 'R2'] });
    await issueToWorkOrder(db(), {
      itemId: item.id,
      warehouseId: van.id,
      quantity: '2',
      serials: ['R1', 'R2'],
      workOrderId: 'wo-A',
    });
    const before = await snapshot(db());
    const wrong = await caught(
      returnFromWorkOrder(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '1',
        serials: ['R1'],
        workOrderId: 'wo-B',
      }),
    );
    expect(wrong.details).toMatchObject({ rule: 'serial_issued_to_another_work_order', serials: ['R1'] });
    const inStock = await postReceipt(db(), {
      itemId: item.id,
      warehouseId: central.id,
      quantity: '1',
      serials: ['R3'],
    });
    const again = await caught(
      returnFromWorkOrder(db(), {
        itemId: item.id,
        warehouseId: van.id,
        quantity: '1',
        serials: ['R3'],
        workOrderId: 'wo-A',
      }),
    );
    expect(again.details).toMatchObject({ rule: 'serial_already_in_stock' });
    expect((await snapshot(db())).movements).toBe(before.movements + 1);
    expect(inStock.kind).toBe('receipt');

    await returnFromWorkOrder(db(), {
      itemId: item.id,
      warehouseId: central.id,
      quantity: '2',
      serials: ['R1', 'OLD-9'],
      workOrderId: 'wo-A',
    });
    const units = await serialsOf(item.id);
    expect(
      units.filter((s) => s.status === 'in_stock' && s.warehouseId === central.id).map((s) => s.serial),
    ).toEqual(['OLD-9', 'R1', 'R3']);
  });

  it('transfers move the named units, and write-offs take them out; serials stay consistent with on-hand', async () => {
    const { item, central, van } = await setup();
    await postReceipt(db(), {
      itemId: item.id,
      warehouseId: central.id,
      quantity: '3',
      serials: ['T1', 'T2', 'T3'],
    });
    await transferStock(db(), {
      itemId: item.id,
      fromWarehouseId: central.id,
      toWarehouseId: van.id,
      quantity: '2',
      serials: ['T1', 'T3'],
    });
    await postAdjustment(db(), {
      itemId: item.id,
      warehouseId: van.id,
      quantityDelta: '-1',
      serials: ['T3'],
      reason: 'broken',
    });
    await postAdjustment(db(), {
      itemId: item.id,
      warehouseId: van.id,
      quantityDelta: '1',
      serials: ['FOUND-1'],
      reason: 'found',
    });
    const units = await serialsOf(item.id);
    expect(units.map((s) => [s.serial, s.status, s.warehouseId])).toEqual([
      ['FOUND-1', 'in_stock', van.id],
      ['T1', 'in_stock', van.id],
      ['T2', 'in_stock', central.id],
      ['T3', 'written_off', null],
    ]);
    expect(await verifyLedgerConsistency(db())).toEqual({
      consistent: true,
      levelMismatches: [],
      serialMismatches: [],
    });
  });
});

// The ERP receipt pull and the ERP level pull together, through the pull machinery against the loopback
// test ERP: whichever lands first, on-hand ends equal to the ERP's level and every receipt is in the
// ledger as a receipt, once; re-pulls book nothing; a receipt or level of a pair Fieldsync does not know
// yet waits as a pull error and lands right once the pair exists.
import { afterEach, expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp, TEST_ERP_ENTITIES } from '../../src/connectors/test-erp/index.js';
import { createItem } from '../../src/modules/items/index.js';
import { createWarehouse, getOnHand, listMovements, postAdjustment } from '../../src/modules/stock/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { ErpClock, pullFixture, rand } from './pull-fixture.js';

/** As tryton-stock-levels-in (config/flows/tryton.example.yaml). */
const levelMapping = {
  fields: {
    sku: { from: 'sku', owner: 'erp', required: true },
    erpLocationRef: { from: 'location', owner: 'erp', required: true },
    quantity: { from: 'quantity', owner: 'shared', rule: 'manual', required: true },
    erpLevel: { from: 'erpLevel', owner: 'erp' },
  },
};

/** As tryton-receipts-in. */
const receiptMapping = {
  fields: {
    sku: { from: 'sku', owner: 'erp', required: true },
    erpLocationRef: { from: 'toLocationRef', owner: 'erp', required: true },
    quantity: { from: 'quantity', owner: 'erp', required: true },
    reference: {
      owner: 'erp',
      transform: [{ concat: { parts: ['shipment', { value: 'tryton-move' }, 'id'], sep: ' ' } }],
    },
    idempotencyKey: {
      owner: 'erp',
      transform: [{ concat: { parts: [{ value: 'tryton:stock.move' }, 'id'], sep: ':' } }],
    },
    erpStamp: { from: 'doneStamp', owner: 'erp' },
  },
};

/** ERP receipt stamps, in the order the receipts were done. */
const T1 = '2026-03-02T09:00:00.000000Z';
const T2 = '2026-03-02T10:30:00.000000Z';

describeEachEngine('ERP receipts and levels pulled together', (db) => {
  let erp: TestErp | undefined;
  const fixtures: PullFixture[] = [];
  afterEach(async () => {
    for (const f of fixtures.splice(0)) await f.close();
    await erp?.close();
    erp = undefined;
  });

  /** One ERP, both flows, one item × warehouse: what each pull holds is seeded and changed by hand. */
  async function world(options: { pairExists?: boolean } = {}) {
    const clock = new ErpClock();
    erp = await startTestErp({
      now: clock.now,
      entities: [...TEST_ERP_ENTITIES, 'stock_level', 'stock_receipt'],
    });
    const levels = await pullFixture(db().db, {
      erp,
      clock,
      entity: 'stock_level',
      mapping: levelMapping,
      pageSize: 50,
    });
    const receipts = await pullFixture(db().db, {
      erp,
      clock,
      entity: 'stock_receipt',
      mapping: receiptMapping,
      operation: 'create',
      pageSize: 50,
    });
    fixtures.push(levels, receipts);
    const p = rand();
    const sku = `LV-${p}`;
    const location = `stock.loc_${p}`;
    const createPair = async () => {
      const item = await createItem(db().db, { sku, name: 'Filter', category: 'parts', listPrice: '1' });
      const warehouse = await createWarehouse(db().db, {
        code: `W-${p}`,
        name: 'Central',
        kind: 'central',
        region: 'north',
        erpLocationRef: location,
      });
      return { itemId: item.id, warehouseId: warehouse.id };
    };
    let pair = options.pairExists === false ? undefined : await createPair();
    const [levelRecord] = erp.store.seed('stock_level', [
      { data: { sku, location, quantity: '10', erpLevel: { quantity: '10', asOf: null } } },
    ]);
    const levelId = levelRecord?.id ?? '';

    const tryton = {
      /** The ERP's level now, read as of the receipt stamp `asOf`. */
      level: (quantity: string, asOf: string | null) => {
        erp?.store.mutate('stock_level', levelId, { quantity, erpLevel: { quantity, asOf } });
      },
      receive: (id: number, quantity: string, doneStamp: string) => {
        erp?.store.seed('stock_receipt', [
          {
            data: { id, sku, toLocationRef: location, quantity, shipment: 'stock.shipment.in,7', doneStamp },
          },
        ]);
      },
    };
    const pull = async (which: 'levels' | 'receipts', rewind?: 'start' | 'pull_errors') => {
      const f = which === 'levels' ? levels : receipts;
      const result = await f.scheduler.runOnce(f.flow.name, rewind ? { rewind } : {});
      expect(result.outcome).toBe('completed');
      return result;
    };
    const pairOf = () => {
      if (!pair) throw new Error('the pair does not exist yet');
      return pair;
    };
    const onHand = async () =>
      (await getOnHand(db().db, { ...pairOf(), includeZero: true }))[0]?.quantity ?? '0';
    const ledger = async () =>
      (await listMovements(db().db, { ...pairOf() }, { limit: 100 })).data.map((m) => ({
        kind: m.kind,
        quantity: m.quantity,
        reason: m.reason ?? null,
        key: m.idempotencyKey,
      }));
    return {
      tryton,
      pull,
      onHand,
      ledger,
      pairOf,
      createPair: async () => {
        pair = await createPair();
      },
    };
  }

  /** Every pull again from the start (an overlap window, a rewind): nothing new anywhere. */
  async function rePullBoth(w: Awaited<ReturnType<typeof world>>) {
    const before = await w.ledger();
    const levels = await w.pull('levels', 'start');
    const receipts = await w.pull('receipts', 'start');
    expect([levels.created, levels.updated, levels.conflicts, levels.pullErrors]).toEqual([0, 0, 0, 0]);
    expect([receipts.created, receipts.pullErrors]).toEqual([0, 0]);
    expect(await w.ledger()).toEqual(before);
  }

  it('levels then receipts: the receipt is booked with a reconciling entry, on-hand stays the level', async () => {
    const w = await world();
    expect((await w.pull('levels')).created).toBe(1);
    expect(await w.onHand()).toBe('10');

    // Tryton receives 5; the level pull reads 15 (as of that receipt) before the receipt pull runs.
    w.tryton.receive(501, '5', T1);
    w.tryton.level('15', T1);
    expect(await w.pull('levels')).toMatchObject({ updated: 1, conflicts: 0 });
    expect(await w.onHand()).toBe('15');

    expect(await w.pull('receipts')).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await w.onHand()).toBe('15');
    expect(await w.ledger()).toEqual([
      { kind: 'adjustment', quantity: '10', reason: 'ERP stock level: 10', key: null },
      { kind: 'adjustment', quantity: '5', reason: 'ERP stock level: 15', key: null },
      { kind: 'receipt', quantity: '5', reason: null, key: 'tryton:stock.move:501' },
      {
        kind: 'adjustment',
        quantity: '-5',
        reason: `ERP receipt tryton:stock.move:501 already counted in the ERP stock level read as of ${T1}`,
        key: 'tryton:stock.move:501:counted-in-level',
      },
    ]);
    await rePullBoth(w);
    expect(await w.onHand()).toBe('15');
  });

  it('receipts then levels: the receipt alone, and the level read after it books nothing', async () => {
    const w = await world();
    await w.pull('levels');
    w.tryton.receive(502, '5', T1);
    expect(await w.pull('receipts')).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await w.onHand()).toBe('15');

    // A level pull before Tryton's level moved (still 10, as of no receipt): the receipt is no local change.
    expect(await w.pull('levels', 'start')).toMatchObject({ updated: 0, conflicts: 0, pullErrors: 0 });
    w.tryton.level('15', T1);
    expect(await w.pull('levels')).toMatchObject({ conflicts: 0, pullErrors: 0 });
    expect(await w.onHand()).toBe('15');
    expect(await w.ledger()).toEqual([
      { kind: 'adjustment', quantity: '10', reason: 'ERP stock level: 10', key: null },
      { kind: 'receipt', quantity: '5', reason: null, key: 'tryton:stock.move:502' },
    ]);
    await rePullBoth(w);
    expect(await w.onHand()).toBe('15');
  });

  it('a level between two receipts: the one it holds is reconciled, the later one is kept on top', async () => {
    const w = await world();
    await w.pull('levels');
    w.tryton.receive(503, '5', T1);
    w.tryton.level('15', T1);
    await w.pull('levels');
    w.tryton.receive(504, '3', T2);
    expect(await w.pull('receipts')).toMatchObject({ created: 2, pullErrors: 0 });
    expect(await w.onHand()).toBe('18');
    const reconciled = (await w.ledger()).filter((m) => m.key?.endsWith(':counted-in-level'));
    expect(reconciled.map((m) => m.key)).toEqual(['tryton:stock.move:503:counted-in-level']);

    // Tryton's level catches up with the second receipt, and changes by a count in Tryton alone (-1).
    w.tryton.level('17', T2);
    expect(await w.pull('levels')).toMatchObject({ updated: 1, conflicts: 0 });
    expect(await w.onHand()).toBe('17');
    expect((await w.ledger()).at(-1)).toEqual({
      kind: 'adjustment',
      quantity: '-1',
      reason: 'ERP stock level: 17',
      key: null,
    });
    await rePullBoth(w);
    expect(await w.onHand()).toBe('17');
  });

  it('a receipt and a level of a pair Fieldsync does not know yet land right once it exists', async () => {
    const w = await world({ pairExists: false });
    w.tryton.receive(505, '5', T1);
    w.tryton.level('15', T1);
    expect(await w.pull('receipts')).toMatchObject({ created: 0, pullErrors: 1 });
    expect(await w.pull('levels')).toMatchObject({ created: 0, pullErrors: 1 });

    await w.createPair();
    // The receipt's retry comes first here: the level read after it must not add it a second time.
    expect(await w.pull('receipts', 'pull_errors')).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await w.pull('levels', 'pull_errors')).toMatchObject({ conflicts: 0, pullErrors: 0 });
    expect(await w.onHand()).toBe('15');
    expect(await w.ledger()).toEqual([
      { kind: 'receipt', quantity: '5', reason: null, key: 'tryton:stock.move:505' },
      {
        kind: 'adjustment',
        quantity: '10',
        reason: 'ERP stock level: 15',
        key: null,
      },
    ]);
    await rePullBoth(w);
  });

  it('the level of an unknown pair first, then its receipt: reconciled', async () => {
    const w = await world({ pairExists: false });
    w.tryton.receive(506, '5', T1);
    w.tryton.level('15', T1);
    expect(await w.pull('levels')).toMatchObject({ pullErrors: 1 });
    expect(await w.pull('receipts')).toMatchObject({ pullErrors: 1 });
    await w.createPair();
    expect(await w.pull('levels', 'pull_errors')).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await w.pull('receipts', 'pull_errors')).toMatchObject({ created: 1, pullErrors: 0 });
    expect(await w.onHand()).toBe('15');
    expect((await w.ledger()).map((m) => [m.kind, m.quantity])).toEqual([
      ['adjustment', '15'],
      ['receipt', '5'],
      ['adjustment', '-5'],
    ]);
    await rePullBoth(w);
  });

  it('a receipt and a local consumption between two level reads: held, then closed once both agree', async () => {
    const w = await world();
    await w.pull('levels');
    w.tryton.receive(507, '5', T1);
    await w.pull('receipts');
    // Parts used in Fieldsync (-2), not delivered to the ERP yet.
    await postAdjustment(db().db, { ...w.pairOf(), quantityDelta: '-2', reason: 'used on a job' });
    expect(await w.onHand()).toBe('13');
    // The ERP level has the receipt but not the consumption: both sides changed since the last level, as
    // without the receipt pull (docs/connectors/tryton.md); the level is held, nothing is overwritten.
    w.tryton.level('15', T1);
    expect(await w.pull('levels')).toMatchObject({ conflicts: 1, pullErrors: 0 });
    expect(await w.onHand()).toBe('13');
    // The consumption reaches the ERP: both sides agree, the conflict closes, nothing is booked.
    w.tryton.level('13', T1);
    expect(await w.pull('levels')).toMatchObject({ conflicts: 0, pullErrors: 0 });
    expect(await w.onHand()).toBe('13');
    const open = await db()
      .db.selectFrom('sync_conflicts')
      .select(['status', 'resolution'])
      .where('local_id', '=', `${w.pairOf().itemId}@${w.pairOf().warehouseId}`)
      .execute();
    expect(open).toEqual([{ status: 'resolved', resolution: 'converged' }]);
    expect((await w.ledger()).map((m) => [m.kind, m.quantity])).toEqual([
      ['adjustment', '10'],
      ['receipt', '5'],
      ['adjustment', '-2'],
    ]);
    // The next receipt is booked alone and kept on top of the level.
    w.tryton.receive(508, '4', T2);
    expect(await w.pull('receipts')).toMatchObject({ created: 1 });
    expect(await w.onHand()).toBe('17');
    w.tryton.level('17', T2);
    expect(await w.pull('levels')).toMatchObject({ conflicts: 0, pullErrors: 0 });
    expect(await w.onHand()).toBe('17');
    await rePullBoth(w);
  });
});

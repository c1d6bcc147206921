import { expect, it } from 'vitest';
import {
  createAsset,
  disposeAsset,
  getAsset,
  getAssetHistory,
  listMeterReadings,
  moveAsset,
  recordMeterReading,
  transitionAsset,
} from '../../src/modules/assets/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('expected a value');
  return value;
}
const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

async function world(db: Db) {
  const customer = await createCustomer(db, {
    name: uniq('Acme'),
    sites: [site('Plant A'), site('Plant B')],
  });
  const other = await createCustomer(db, { name: uniq('Other'), sites: [site('Elsewhere')] });
  const item = await createItem(db, {
    sku: uniq('GEN'),
    name: 'Generator',
    category: 'generators',
    listPrice: '9000',
  });
  return {
    customerId: customer.id,
    siteA: must(customer.sites[0]).id,
    siteB: must(customer.sites[1]).id,
    otherCustomerId: other.id,
    otherSite: must(other.sites[0]).id,
    itemId: item.id,
  };
}
type World = Awaited<ReturnType<typeof world>>;

const tables = [
  'assets',
  'asset_moves',
  'asset_status_changes',
  'asset_meter_readings',
  'outbox_events',
] as const;
async function counts(db: Db): Promise<Record<string, number>> {
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
async function expectNothingWritten(
  db: Db,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await counts(db);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await counts(db)).toEqual(before);
}

async function inService(db: Db, w: World, extra: Record<string, unknown> = {}) {
  const asset = await createAsset(db, {
    serialNumber: uniq('SN'),
    itemId: w.itemId,
    customerId: w.customerId,
    siteId: w.siteA,
    installDate: '2024-01-10',
    costCenter: 'CC-1',
    ...extra,
  });
  return transitionAsset(db, asset.id, { to: 'in_service', effectiveDate: '2024-01-15' });
}

describeEachEngine('assets: moves', (db) => {
  it('a move is its own event: history row, status moved, asset.moved with the move; recommissioning returns to in_service', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    const { asset: moved, moves } = await moveAsset(db().db, asset.id, {
      siteId: w.siteB,
      costCenter: 'CC-2',
      movedAt: '2024-05-01T08:00:00+02:00',
      reason: 'line relocated',
    });
    expect(moved).toMatchObject({ siteId: w.siteB, costCenter: 'CC-2', status: 'moved' });
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      movedAt: '2024-05-01T06:00:00.000Z',
      from: { customerId: w.customerId, siteId: w.siteA, costCenter: 'CC-1' },
      to: { customerId: w.customerId, siteId: w.siteB, costCenter: 'CC-2' },
      reason: 'line relocated',
      cascadedFromAssetId: null,
    });
    const [event] = await readEvents(db().db, { subject: `asset/${asset.id}`, types: ['asset.moved'] });
    expect(event?.data).toMatchObject({ asset: moved, move: moves[0], fromStatus: 'in_service' });
    const back = await transitionAsset(db().db, asset.id, { to: 'in_service', effectiveDate: '2024-05-02' });
    expect(back.status).toBe('in_service');
    const kinds = (await getAssetHistory(db().db, asset.id)).entries.map((e) => e.kind);
    expect(kinds).toEqual(['status_change', 'status_change', 'move', 'status_change', 'status_change']);
  });

  it('a cost-center-only move is a move too', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    const { asset: moved } = await moveAsset(db().db, asset.id, {
      costCenter: 'CC-9',
      reason: 'reorganisation',
    });
    expect(moved).toMatchObject({ siteId: w.siteA, costCenter: 'CC-9', status: 'moved' });
  });

  it('bad input: moving a disposed asset → 409 (disposal is final), nothing written', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    await disposeAsset(db().db, asset.id, { disposalDate: '2024-06-01', disposalReason: 'sold for scrap' });
    await expectNothingWritten(
      db().db,
      () => moveAsset(db().db, asset.id, { siteId: w.siteB, reason: 'mistake' }),
      {
        code: 'conflict',
        details: { currentStatus: 'disposed', requestedStatus: 'moved', allowedTransitions: [] },
      },
    );
    expect((await getAsset(db().db, asset.id)).siteId).toBe(w.siteA);
  });

  it('bad input: moving an asset still on order → 409 naming the allowed transitions', async () => {
    const w = await world(db().db);
    const ordered = await createAsset(db().db, {
      serialNumber: uniq('SN'),
      itemId: w.itemId,
      customerId: w.customerId,
      siteId: w.siteA,
      purchaseRef: 'PO-7',
    });
    await expectNothingWritten(
      db().db,
      () => moveAsset(db().db, ordered.id, { siteId: w.siteB, reason: 'x' }),
      {
        code: 'conflict',
        details: { allowedTransitions: ['installed', 'disposed'] },
      },
    );
  });

  it('bad input: a move that changes nothing, to a site of another customer, or dated before the install → 400/422', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    await expectNothingWritten(
      db().db,
      () => moveAsset(db().db, asset.id, { siteId: w.siteA, costCenter: 'CC-1', reason: 'noop' }),
      {
        code: 'validation',
      },
    );
    await expectNothingWritten(
      db().db,
      () => moveAsset(db().db, asset.id, { siteId: w.otherSite, reason: 'wrong site' }),
      {
        code: 'unprocessable',
        issues: [{ path: ['siteId'] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () => moveAsset(db().db, asset.id, { customerId: w.otherCustomerId, reason: 'no site' }),
      {
        code: 'validation',
        issues: [{ path: ['siteId'] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () =>
        moveAsset(db().db, asset.id, {
          siteId: w.siteB,
          movedAt: '2023-12-31T10:00:00Z',
          reason: 'backdated',
        }),
      { code: 'validation', issues: [{ path: ['movedAt'] }] },
    );
    await expectNothingWritten(
      db().db,
      () =>
        moveAsset(db().db, asset.id, { siteId: w.siteB, movedAt: '2999-01-01T00:00:00Z', reason: 'future' }),
      { code: 'validation', issues: [{ path: ['movedAt'] }] },
    );
  });

  it('moving to another customer; components travel with their parent, each with its own move and event', async () => {
    const w = await world(db().db);
    const parent = await inService(db().db, w);
    const child = await inService(db().db, w, { parentAssetId: parent.id });
    const grandchild = await createAsset(db().db, {
      serialNumber: uniq('SN'),
      itemId: w.itemId,
      customerId: w.customerId,
      siteId: w.siteA,
      installDate: '2024-01-10',
      parentAssetId: child.id,
    });
    const { moves } = await moveAsset(db().db, parent.id, {
      customerId: w.otherCustomerId,
      siteId: w.otherSite,
      movedAt: '2024-07-01T00:00:00Z',
      reason: 'sold with the building',
    });
    expect(moves.map((m) => [m.assetId, m.cascadedFromAssetId])).toEqual([
      [parent.id, null],
      [child.id, parent.id],
      [grandchild.id, child.id],
    ]);
    for (const id of [parent.id, child.id, grandchild.id]) {
      const now = await getAsset(db().db, id);
      expect(now).toMatchObject({ customerId: w.otherCustomerId, siteId: w.otherSite, status: 'moved' });
      expect(await readEvents(db().db, { subject: `asset/${id}`, types: ['asset.moved'] })).toHaveLength(1);
    }
    expect((await getAsset(db().db, grandchild.id)).parentAssetId).toBe(child.id);
  });

  it('a component moved on its own leaves its parent', async () => {
    const w = await world(db().db);
    const parent = await inService(db().db, w);
    const child = await inService(db().db, w, { parentAssetId: parent.id });
    const { asset, moves } = await moveAsset(db().db, child.id, {
      siteId: w.siteB,
      reason: 'spare motor reused elsewhere',
    });
    expect(asset.parentAssetId).toBeNull();
    expect(moves[0]?.detachedFromAssetId).toBe(parent.id);
    expect((await getAsset(db().db, parent.id)).siteId).toBe(w.siteA);
  });

  it('bad input: a stale If-Match version on a move → 412, nothing written', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    await expectNothingWritten(
      db().db,
      () => moveAsset(db().db, asset.id, { siteId: w.siteB, reason: 'x' }, asset.version - 1),
      {
        code: 'precondition_failed',
      },
    );
  });
});

describeEachEngine('assets: meter readings', (db) => {
  it('appends readings, caches the latest on the asset and emits asset.meter_reading.recorded', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    const first = await recordMeterReading(db().db, asset.id, {
      readingAt: '2024-02-01T10:00:00Z',
      value: '120.5',
      source: 'technician',
    });
    expect(first).toMatchObject({
      assetId: asset.id,
      value: '120.5',
      source: 'technician',
      meterReplaced: false,
    });
    await recordMeterReading(db().db, asset.id, { readingAt: '2024-03-01T10:00:00Z', value: '120.5' });
    await recordMeterReading(db().db, asset.id, {
      readingAt: '2024-04-01T10:00:00Z',
      value: '300.125',
      source: 'iot',
    });
    expect((await getAsset(db().db, asset.id)).meter).toEqual({
      value: '300.125',
      readingAt: '2024-04-01T10:00:00.000Z',
    });
    const events = await readEvents(db().db, {
      subject: `asset/${asset.id}`,
      types: ['asset.meter_reading.recorded'],
    });
    expect(events).toHaveLength(3);
    expect(events[0]?.data).toMatchObject({ reading: first });
    const page1 = await listMeterReadings(db().db, asset.id, { limit: 2 });
    expect(page1.data.map((r) => r.value)).toEqual(['120.5', '120.5']);
    const page2 = await listMeterReadings(db().db, asset.id, { limit: 2, afterId: must(page1.nextAfterId) });
    expect(page2.data.map((r) => r.value)).toEqual(['300.125']);
  });

  it('bad input: a reading lower than the previous one → 409 naming it, nothing written; accepted with meterReplaced', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    const previous = await recordMeterReading(db().db, asset.id, {
      readingAt: '2024-02-01T10:00:00Z',
      value: '500',
    });
    await expectNothingWritten(
      db().db,
      () => recordMeterReading(db().db, asset.id, { readingAt: '2024-03-01T10:00:00Z', value: '12' }),
      {
        code: 'conflict',
        details: { previousReadingId: previous.id, previousValue: '500' },
      },
    );
    const reset = await recordMeterReading(db().db, asset.id, {
      readingAt: '2024-03-01T10:00:00Z',
      value: '12',
      meterReplaced: true,
    });
    expect(reset.meterReplaced).toBe(true);
    expect((await getAsset(db().db, asset.id)).meter?.value).toBe('12');
  });

  it('bad input: a reading dated before the latest one, in the future, negative, or on a disposed asset is refused', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    await recordMeterReading(db().db, asset.id, { readingAt: '2024-02-01T10:00:00Z', value: '10' });
    await expectNothingWritten(
      db().db,
      () => recordMeterReading(db().db, asset.id, { readingAt: '2024-01-31T10:00:00Z', value: '20' }),
      {
        code: 'validation',
        issues: [{ path: ['readingAt'] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () => recordMeterReading(db().db, asset.id, { readingAt: '2999-01-01T00:00:00Z', value: '20' }),
      {
        code: 'validation',
        issues: [{ path: ['readingAt'] }],
      },
    );
    await expectNothingWritten(
      db().db,
      () => recordMeterReading(db().db, asset.id, { readingAt: '2024-03-01T00:00:00Z', value: '-1' }),
      {
        code: 'validation',
        issues: [{ path: ['value'] }],
      },
    );
    await disposeAsset(db().db, asset.id, { disposalDate: '2024-06-01', disposalReason: 'end of life' });
    await expectNothingWritten(
      db().db,
      () => recordMeterReading(db().db, asset.id, { readingAt: '2024-07-01T00:00:00Z', value: '20' }),
      {
        code: 'conflict',
      },
    );
  });

  it('history interleaves status changes, moves and readings in time order', async () => {
    const w = await world(db().db);
    const asset = await inService(db().db, w);
    await recordMeterReading(db().db, asset.id, { readingAt: '2024-02-01T10:00:00Z', value: '10' });
    await moveAsset(db().db, asset.id, {
      siteId: w.siteB,
      movedAt: '2024-03-01T09:00:00Z',
      reason: 'relocated',
    });
    await recordMeterReading(db().db, asset.id, { readingAt: '2024-03-05T10:00:00Z', value: '11' });
    const history = await getAssetHistory(db().db, asset.id);
    expect(history.entries.map((e) => [e.kind, e.at])).toEqual([
      ['status_change', '2024-01-10'],
      ['status_change', '2024-01-15'],
      ['meter_reading', '2024-02-01T10:00:00.000Z'],
      ['move', '2024-03-01T09:00:00.000Z'],
      ['status_change', '2024-03-01T09:00:00.000Z'],
      ['meter_reading', '2024-03-05T10:00:00.000Z'],
    ]);
  });
});

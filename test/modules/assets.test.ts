import { describe, expect, it } from 'vitest';
import type { Asset } from '../../src/modules/assets/index.js';
import {
  allowedTransitions,
  createAsset,
  disposeAsset,
  getAsset,
  getAssetHistory,
  listAssets,
  transitionAsset,
  updateAsset,
  warrantyStatus,
} from '../../src/modules/assets/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import type { Db } from '../../src/platform/outbox/index.js';
import { inTransaction, readEvents } from '../../src/platform/outbox/index.js';
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
    sku: uniq('PUMP'),
    name: 'Pump P-200',
    category: 'pumps',
    listPrice: '1200',
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

/** Runs a write that must fail and checks that no row and no event was left behind. */
async function expectNothingWritten(
  db: Db,
  action: () => Promise<unknown>,
  expected: Record<string, unknown>,
) {
  const before = await counts(db);
  await expect(action()).rejects.toMatchObject(expected);
  expect(await counts(db)).toEqual(before);
}

function newAsset(w: World, extra: Record<string, unknown> = {}) {
  return { serialNumber: uniq('SN'), itemId: w.itemId, customerId: w.customerId, siteId: w.siteA, ...extra };
}

describeEachEngine('assets: registration and rules', (db) => {
  it('registers an installed asset, records its first status and emits asset.created with the full record', async () => {
    const w = await world(db().db);
    const asset = await createAsset(
      db().db,
      newAsset(w, {
        installDate: '2024-03-01',
        warrantyPartsUntil: '2026-02-28',
        warrantyLaborUntil: '2025-02-28',
        costCenter: 'CC-10',
      }),
    );
    expect(asset).toMatchObject({
      status: 'installed',
      installDate: '2024-03-01',
      costCenter: 'CC-10',
      version: 1,
      meter: null,
    });
    const events = await readEvents(db().db, { subject: `asset/${asset.id}` });
    expect(events.map((e) => e.type)).toEqual(['asset.created']);
    expect((events[0]?.data as { asset: Asset }).asset).toEqual(asset);
    const history = await getAssetHistory(db().db, asset.id);
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]).toMatchObject({
      kind: 'status_change',
      at: '2024-03-01',
      statusChange: { fromStatus: null, toStatus: 'installed' },
    });
  });

  it('an asset bought on a purchase order starts as ordered', async () => {
    const w = await world(db().db);
    const asset = await createAsset(
      db().db,
      newAsset(w, { purchaseRef: 'PO-881', purchaseDate: '2024-01-10' }),
    );
    expect(asset.status).toBe('ordered');
    expect(asset.purchaseRef).toBe('PO-881');
  });

  it('serial numbers are unique per item: the same serial on another item is fine, on the same item a 409 naming the holder', async () => {
    const w = await world(db().db);
    const first = await createAsset(db().db, newAsset(w, { serialNumber: 'SN-DUP' }));
    const otherItem = await createItem(db().db, {
      sku: uniq('FAN'),
      name: 'Fan',
      category: 'fans',
      listPrice: '10',
    });
    await createAsset(db().db, newAsset(w, { serialNumber: 'SN-DUP', itemId: otherItem.id }));
    await expectNothingWritten(db().db, () => createAsset(db().db, newAsset(w, { serialNumber: 'SN-DUP' })), {
      code: 'conflict',
      details: { field: 'serialNumber', conflictingId: first.id },
    });
  });

  it('bad input: warranty end before the install date → 400 naming both fields, nothing written', async () => {
    const w = await world(db().db);
    await expectNothingWritten(
      db().db,
      () =>
        createAsset(
          db().db,
          newAsset(w, {
            installDate: '2024-05-01',
            warrantyPartsUntil: '2024-04-30',
            warrantyLaborUntil: '2023-01-01',
          }),
        ),
      { code: 'validation', issues: [{ path: ['warrantyPartsUntil'] }, { path: ['warrantyLaborUntil'] }] },
    );
  });

  it('bad input: a patch that puts the install date after the warranty end → 400, asset unchanged', async () => {
    const w = await world(db().db);
    const asset = await createAsset(
      db().db,
      newAsset(w, { installDate: '2024-01-01', warrantyPartsUntil: '2025-01-01' }),
    );
    await expectNothingWritten(db().db, () => updateAsset(db().db, asset.id, { installDate: '2025-06-01' }), {
      code: 'validation',
      issues: [{ path: ['warrantyPartsUntil'] }],
    });
    expect(await getAsset(db().db, asset.id)).toEqual(asset);
  });

  it('bad input: unknown item, service item, unknown customer, site of another customer → 422 naming the field', async () => {
    const w = await world(db().db);
    const service = await createItem(db().db, {
      sku: uniq('SVC'),
      name: 'Labor',
      category: 'labor',
      listPrice: '80',
      kind: 'service',
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ itemId: 'no-such-item' }, 'itemId'],
      [{ itemId: service.id }, 'itemId'],
      [{ customerId: 'no-such-customer' }, 'customerId'],
      [{ siteId: w.otherSite }, 'siteId'],
    ];
    for (const [extra, field] of cases) {
      await expectNothingWritten(db().db, () => createAsset(db().db, newAsset(w, extra)), {
        code: 'unprocessable',
        issues: [{ path: [field] }],
      });
    }
  });

  it('bad input: unknown fields and a location change through update are 400s', async () => {
    const w = await world(db().db);
    const asset = await createAsset(db().db, newAsset(w));
    await expectNothingWritten(db().db, () => updateAsset(db().db, asset.id, { siteId: w.siteB } as never), {
      code: 'validation',
      issues: [{ path: ['siteId'], message: 'unknown field' }],
    });
  });

  it('updates descriptive fields with optimistic concurrency and announces changedFields', async () => {
    const w = await world(db().db);
    const asset = await createAsset(db().db, newAsset(w));
    const updated = await updateAsset(
      db().db,
      asset.id,
      { name: 'Main pump', warrantyLaborUntil: '2030-01-01' },
      1,
    );
    expect(updated).toMatchObject({ name: 'Main pump', warrantyLaborUntil: '2030-01-01', version: 2 });
    const [, event] = await readEvents(db().db, { subject: `asset/${asset.id}` });
    expect(event?.type).toBe('asset.updated');
    expect((event?.data as { changedFields: string[] }).changedFields.sort()).toEqual([
      'name',
      'warrantyLaborUntil',
    ]);
    await expectNothingWritten(db().db, () => updateAsset(db().db, asset.id, { name: 'Lost' }, 1), {
      code: 'precondition_failed',
      details: { currentVersion: 2 },
    });
  });

  it('an asset written inside a caller transaction that fails leaves nothing behind', async () => {
    const w = await world(db().db);
    await expectNothingWritten(
      db().db,
      () =>
        inTransaction(db().db, async (uow) => {
          await createAsset(uow, newAsset(w));
          throw new Error('the work order failed after registering the asset');
        }),
      { message: 'the work order failed after registering the asset' },
    );
  });
});

describeEachEngine('assets: lifecycle', (db) => {
  it('ordered → installed (sets installDate) → in_service, one asset.status_changed event each', async () => {
    const w = await world(db().db);
    const ordered = await createAsset(
      db().db,
      newAsset(w, { purchaseRef: 'PO-1', purchaseDate: '2024-01-05' }),
    );
    const installed = await transitionAsset(db().db, ordered.id, {
      to: 'installed',
      effectiveDate: '2024-02-01',
    });
    expect(installed).toMatchObject({ status: 'installed', installDate: '2024-02-01', version: 2 });
    const running = await transitionAsset(db().db, ordered.id, {
      to: 'in_service',
      effectiveDate: '2024-02-03',
      reason: 'commissioned',
    });
    expect(running.status).toBe('in_service');
    const events = await readEvents(db().db, { subject: `asset/${ordered.id}` });
    expect(events.map((e) => e.type)).toEqual([
      'asset.created',
      'asset.status_changed',
      'asset.status_changed',
    ]);
    expect(events[2]?.data).toMatchObject({
      fromStatus: 'installed',
      toStatus: 'in_service',
      effectiveDate: '2024-02-03',
      reason: 'commissioned',
    });
    const history = await getAssetHistory(db().db, ordered.id);
    expect(
      history.entries.map((e) => (e.kind === 'status_change' ? e.statusChange.toStatus : e.kind)),
    ).toEqual(['ordered', 'installed', 'in_service']);
  });

  it('bad input: an illegal transition → 409 naming the allowed ones, nothing written', async () => {
    const w = await world(db().db);
    const ordered = await createAsset(db().db, newAsset(w, { purchaseRef: 'PO-2' }));
    await expectNothingWritten(db().db, () => transitionAsset(db().db, ordered.id, { to: 'in_service' }), {
      code: 'conflict',
      details: {
        currentStatus: 'ordered',
        requestedStatus: 'in_service',
        allowedTransitions: ['installed', 'disposed'],
      },
    });
    expect(allowedTransitions.ordered).toEqual(['installed', 'disposed']);
  });

  it('bad input: a transition dated before the previous status change → 400', async () => {
    const w = await world(db().db);
    const asset = await createAsset(db().db, newAsset(w, { installDate: '2024-06-01' }));
    await expectNothingWritten(
      db().db,
      () => transitionAsset(db().db, asset.id, { to: 'in_service', effectiveDate: '2024-05-31' }),
      {
        code: 'validation',
        issues: [{ path: ['effectiveDate'] }],
      },
    );
  });

  it('bad input: installing after the warranty already ended → 400 (warranty end before install date)', async () => {
    const w = await world(db().db);
    const ordered = await createAsset(
      db().db,
      newAsset(w, { purchaseRef: 'PO-3', purchaseDate: '2020-01-01', warrantyPartsUntil: '2021-01-01' }),
    );
    await expectNothingWritten(
      db().db,
      () => transitionAsset(db().db, ordered.id, { to: 'installed', effectiveDate: '2022-01-01' }),
      {
        code: 'validation',
        issues: [{ path: ['warrantyPartsUntil'] }],
      },
    );
  });

  it('disposal is final: dispose once, then every change is a 409 with no allowed transitions', async () => {
    const w = await world(db().db);
    const asset = await createAsset(db().db, newAsset(w, { installDate: '2020-01-01' }));
    const disposed = await disposeAsset(db().db, asset.id, {
      disposalDate: '2024-12-31',
      disposalReason: 'scrapped after flood',
    });
    expect(disposed).toMatchObject({
      status: 'disposed',
      disposalDate: '2024-12-31',
      disposalReason: 'scrapped after flood',
    });
    const events = await readEvents(db().db, { subject: `asset/${asset.id}`, types: ['asset.disposed'] });
    expect(events).toHaveLength(1);
    const final = { code: 'conflict', details: { currentStatus: 'disposed', allowedTransitions: [] } };
    await expectNothingWritten(
      db().db,
      () => disposeAsset(db().db, asset.id, { disposalDate: '2025-01-01', disposalReason: 'again' }),
      final,
    );
    await expectNothingWritten(
      db().db,
      () => transitionAsset(db().db, asset.id, { to: 'in_service' }),
      final,
    );
    await expectNothingWritten(db().db, () => updateAsset(db().db, asset.id, { name: 'zombie' }), final);
  });

  it('bad input: disposal dated before the install date → 400, nothing written', async () => {
    const w = await world(db().db);
    const asset = await createAsset(db().db, newAsset(w, { installDate: '2023-03-01' }));
    await expectNothingWritten(
      db().db,
      () => disposeAsset(db().db, asset.id, { disposalDate: '2023-02-01', disposalReason: 'typo' }),
      {
        code: 'validation',
        issues: [{ path: ['disposalDate'] }],
      },
    );
  });

  it('bad input: disposing of an asset whose components are still live → 409 naming them', async () => {
    const w = await world(db().db);
    const parent = await createAsset(db().db, newAsset(w, { installDate: '2023-01-01' }));
    const child = await createAsset(
      db().db,
      newAsset(w, { installDate: '2023-01-01', parentAssetId: parent.id }),
    );
    await expectNothingWritten(
      db().db,
      () => disposeAsset(db().db, parent.id, { disposalDate: '2024-01-01', disposalReason: 'old' }),
      {
        code: 'conflict',
        details: { componentAssetIds: [child.id] },
      },
    );
    await disposeAsset(db().db, child.id, { disposalDate: '2024-01-01', disposalReason: 'worn' });
    expect(
      (await disposeAsset(db().db, parent.id, { disposalDate: '2024-01-02', disposalReason: 'old' })).status,
    ).toBe('disposed');
  });
});

describeEachEngine('assets: components, listing and warranty', (db) => {
  it('bad input: a parent of another customer → 422; a cycle → 409 naming the chain; nothing written', async () => {
    const w = await world(db().db);
    const foreign = await createAsset(db().db, {
      serialNumber: uniq('SN'),
      itemId: w.itemId,
      customerId: w.otherCustomerId,
      siteId: w.otherSite,
    });
    await expectNothingWritten(
      db().db,
      () => createAsset(db().db, newAsset(w, { parentAssetId: foreign.id })),
      {
        code: 'unprocessable',
        issues: [{ path: ['parentAssetId'] }],
      },
    );
    const top = await createAsset(db().db, newAsset(w));
    const middle = await createAsset(db().db, newAsset(w, { parentAssetId: top.id }));
    const leaf = await createAsset(db().db, newAsset(w, { parentAssetId: middle.id }));
    await expectNothingWritten(db().db, () => updateAsset(db().db, top.id, { parentAssetId: leaf.id }), {
      code: 'conflict',
      details: { cycle: [top.id, leaf.id, middle.id, top.id] },
    });
    await expectNothingWritten(db().db, () => updateAsset(db().db, top.id, { parentAssetId: top.id }), {
      code: 'conflict',
    });
    expect((await updateAsset(db().db, leaf.id, { parentAssetId: null })).parentAssetId).toBeNull();
  });

  it('lists by customer, site, status, item, serial, cost center and warranty active on a date', async () => {
    const w = await world(db().db);
    const a = await createAsset(
      db().db,
      newAsset(w, { installDate: '2024-01-01', warrantyPartsUntil: '2024-12-31', costCenter: 'CC-A' }),
    );
    const b = await createAsset(
      db().db,
      newAsset(w, { siteId: w.siteB, installDate: '2024-01-01', warrantyLaborUntil: '2026-12-31' }),
    );
    const c = await createAsset(db().db, newAsset(w, { purchaseRef: 'PO-9' }));
    const ids = async (filter: Record<string, unknown>) =>
      (await listAssets(db().db, { customerId: w.customerId, ...filter }, { limit: 50 })).data
        .map((x) => x.id)
        .sort();
    expect(await ids({})).toEqual([a.id, b.id, c.id].sort());
    expect(await ids({ siteId: w.siteB })).toEqual([b.id]);
    expect(await ids({ status: 'ordered' })).toEqual([c.id]);
    expect(await ids({ serialNumber: a.serialNumber, itemId: w.itemId })).toEqual([a.id]);
    expect(await ids({ costCenter: 'CC-A' })).toEqual([a.id]);
    expect(await ids({ warrantyActiveOn: '2024-12-31' })).toEqual([a.id, b.id].sort());
    expect(await ids({ warrantyActiveOn: '2025-01-01' })).toEqual([b.id]);
    const first = await listAssets(db().db, { customerId: w.customerId }, { limit: 2 });
    expect(first.data).toHaveLength(2);
    const second = await listAssets(
      db().db,
      { customerId: w.customerId },
      { limit: 2, afterId: must(first.nextAfterId) },
    );
    expect(second.data).toHaveLength(1);
    expect(second.nextAfterId).toBeNull();
  });

  it('warrantyStatus: parts and labor end on different days, the end day is covered, nothing after disposal', () => {
    const asset = { warrantyPartsUntil: '2025-06-30', warrantyLaborUntil: '2024-12-31', disposalDate: null };
    expect(warrantyStatus(asset, '2024-12-31')).toEqual({
      partsCovered: true,
      laborCovered: true,
      partsUntil: '2025-06-30',
      laborUntil: '2024-12-31',
    });
    expect(warrantyStatus(asset, '2025-01-01')).toMatchObject({ partsCovered: true, laborCovered: false });
    expect(warrantyStatus(asset, '2025-07-01')).toMatchObject({ partsCovered: false, laborCovered: false });
    expect(warrantyStatus({ ...asset, disposalDate: '2024-06-01' }, '2024-06-02')).toMatchObject({
      partsCovered: false,
      laborCovered: false,
    });
    expect(
      warrantyStatus({ warrantyPartsUntil: null, warrantyLaborUntil: null }, '2024-01-01'),
    ).toMatchObject({ partsCovered: false });
    expect(() => warrantyStatus(asset, '31/12/2024')).toThrow(RangeError);
  });
});

describe('assets: status machine table', () => {
  it('disposed allows nothing, and every other status allows disposal', () => {
    expect(allowedTransitions.disposed).toEqual([]);
    for (const status of ['ordered', 'installed', 'in_service', 'moved'] as const)
      expect(allowedTransitions[status]).toContain('disposed');
  });
});

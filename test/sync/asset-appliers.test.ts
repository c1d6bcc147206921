import { afterEach, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
  createAsset,
  createAssetPurchase,
  findAssetPurchase,
  getAsset,
  listAssets,
  transitionAsset,
  updateAsset,
  updateAssetPurchase,
} from '../../src/modules/assets/index.js';
import { createCustomer } from '../../src/modules/customers/index.js';
import { createItem } from '../../src/modules/items/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { listPullErrors } from '../../src/sync/pull/index.js';
import { checkInboundTarget } from '../../src/sync/inbound/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { eventsOf, localIdOf, pullFixture, rand } from './pull-fixture.js';

const site = (name: string) => ({ name, line1: `${name} street 1`, city: 'Gent', country: 'BE' });

async function world(db: Kysely<Database>) {
  const p = rand();
  const customer = await createCustomer(db, { name: `Own ${p}`, sites: [site('Depot')] });
  const pump = await createItem(db, { sku: `PUMP-${p}`, name: 'Pump', category: 'pumps', listPrice: '1200' });
  const boiler = await createItem(db, {
    sku: `BOILER-${p}`,
    name: 'Boiler',
    category: 'boilers',
    listPrice: '2400',
  });
  return { p, customerId: customer.id, siteId: customer.sites[0]?.id ?? '', pump, boiler };
}

/** The shipped Tryton mapping of tryton-asset-purchases-in, with this test's customer and site. */
const purchaseMapping = (customerId: string, siteId: string) => ({
  fields: {
    purchaseRef: { from: 'number', owner: 'erp', required: true },
    supplierReference: { from: 'reference', owner: 'erp' },
    purchaseDate: { from: 'purchaseDate', owner: 'erp' },
    lines: { from: 'lines', owner: 'erp', required: true },
    status: { owner: 'fieldsync', transform: [{ constant: { value: 'ordered' } }] },
    customerId: { owner: 'fieldsync', transform: [{ constant: { value: customerId } }] },
    siteId: { owner: 'fieldsync', transform: [{ constant: { value: siteId } }] },
  },
});

const valuesMapping = {
  fields: {
    'externalRefs.tryton': {
      owner: 'erp',
      required: true,
      transform: [{ concat: { parts: ['id'], sep: '' } }],
    },
    bookValue: { from: 'bookValue', owner: 'erp' },
    accumulatedDepreciation: { from: 'accumulatedDepreciation', owner: 'erp' },
    lastDepreciationDate: { from: 'lastDepreciationDate', owner: 'erp' },
    costCenter: { from: 'costCenters.0', owner: 'erp' },
  },
};

/** The shipped tryton-asset-values-in: per-unit values, and the purchase line the ERP asset was bought on. */
const unitValuesMapping = {
  fields: {
    ...valuesMapping.fields,
    bookValue: { from: 'unitBookValue', owner: 'erp' },
    accumulatedDepreciation: { from: 'unitAccumulatedDepreciation', owner: 'erp' },
    purchaseRef: { from: 'purchaseRef', owner: 'erp' },
    purchaseLine: { from: 'purchaseLine', owner: 'erp' },
    units: { from: 'quantity', owner: 'erp' },
  },
};

describeEachEngine('inbound asset purchases: one asset per unit, never twice', (db) => {
  let fixture: PullFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('creates one "ordered" asset per unit; a re-pull creates nothing; a grown quantity adds only the new units', async () => {
    const w = await world(db().db);
    fixture = await pullFixture(db().db, {
      entity: 'asset_purchase',
      sourceEntity: 'stock_move',
      mapping: purchaseMapping(w.customerId, w.siteId),
      operation: 'upsert',
    });
    const { erp, scheduler, flow, connector } = fixture;
    expect(checkInboundTarget({ name: flow.name, entity: flow.entity, mapping: flow.mapping })).toEqual([]);
    const number = `P-${w.p}`;
    const [purchase] = erp.store.seed('stock_move', [
      {
        data: {
          number,
          reference: 'SUP-1',
          purchaseDate: '2026-02-10',
          lines: [
            { lineId: 11, sku: w.pump.sku, name: 'Pump P-200', quantity: '3', unitPrice: '1200.00' },
            { lineId: 12, sku: w.boiler.sku, name: 'Boiler', quantity: '1', unitPrice: '2400.00' },
          ],
        },
      },
    ]);
    const first = await scheduler.runOnce(flow.name);
    expect(first).toMatchObject({ outcome: 'completed', created: 1, pullErrors: 0 });
    const mine = async () =>
      (await listAssets(db().db, { customerId: w.customerId }, { limit: 100 })).data.sort((a, b) =>
        a.serialNumber.localeCompare(b.serialNumber),
      );
    let assets = await mine();
    expect(assets.map((a) => [a.itemId, a.serialNumber, a.status, a.purchaseRef, a.purchaseDate])).toEqual(
      [
        [w.pump.id, `${number}/11/1`, 'ordered', number, '2026-02-10'],
        [w.pump.id, `${number}/11/2`, 'ordered', number, '2026-02-10'],
        [w.pump.id, `${number}/11/3`, 'ordered', number, '2026-02-10'],
        [w.boiler.id, `${number}/12/1`, 'ordered', number, '2026-02-10'],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    // Each unit went through the module: one asset.created, marked with the pull's origin.
    for (const a of assets) {
      const events = await eventsOf(db().db, `asset/${a.id}`);
      expect(events.map((e) => e.type)).toEqual(['asset.created']);
      expect(events[0]?.data).toMatchObject({ origin: { connector, flow: flow.name } });
    }
    const local = await findAssetPurchase(db().db, number);
    expect(local?.id).toBe(await localIdOf(db().db, connector, purchase?.id ?? ''));
    expect(local?.units).toHaveLength(4);

    // Re-pulled with the same lines (the purchase moved on in the ERP): nothing new.
    erp.store.mutate('stock_move', purchase?.id ?? '', { state: 'processing' });
    const again = await scheduler.runOnce(flow.name);
    expect(again).toMatchObject({ outcome: 'completed', created: 0, pullErrors: 0 });
    expect(await mine()).toHaveLength(4);
    // And registering the same purchase again through the module directly: still nothing new.
    await updateAssetPurchase(db().db, local?.id ?? '', {
      purchaseRef: number,
      customerId: w.customerId,
      siteId: w.siteId,
      lines: local?.lines as never,
    });
    expect(await mine()).toHaveLength(4);

    // A technician installs one and types its real serial: the unit keeps its asset, no duplicate appears.
    const first1 = assets[0];
    if (!first1) throw new Error('no asset');
    await transitionAsset(db().db, first1.id, { to: 'installed', effectiveDate: '2026-03-01' });

    // The pump line grows to 5: exactly two more assets.
    erp.store.mutate('stock_move', purchase?.id ?? '', {
      lines: [
        { lineId: 11, sku: w.pump.sku, name: 'Pump P-200', quantity: '5', unitPrice: '1200.00' },
        { lineId: 12, sku: w.boiler.sku, name: 'Boiler', quantity: '1', unitPrice: '2400.00' },
      ],
    });
    const grown = await scheduler.runOnce(flow.name);
    expect(grown).toMatchObject({ outcome: 'completed', updated: 1, pullErrors: 0 });
    assets = await mine();
    expect(assets).toHaveLength(6);
    expect(assets.filter((a) => a.itemId === w.pump.id).map((a) => a.serialNumber)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `${number}/11/${n}`),
    );
    expect((await getAsset(db().db, first1.id)).status).toBe('installed');

    // And a lower quantity removes nothing (the assets are real records by then).
    erp.store.mutate('stock_move', purchase?.id ?? '', {
      lines: [{ lineId: 11, sku: w.pump.sku, name: 'Pump P-200', quantity: '2', unitPrice: '1200.00' }],
    });
    expect((await scheduler.runOnce(flow.name)).pullErrors).toBe(0);
    expect(await mine()).toHaveLength(6);
  });

  it('bad ERP data is a validation pull error and writes nothing', async () => {
    const w = await world(db().db);
    fixture = await pullFixture(db().db, {
      entity: 'asset_purchase',
      sourceEntity: 'stock_move',
      mapping: purchaseMapping(w.customerId, w.siteId),
    });
    const { erp, scheduler, flow } = fixture;
    const [half, negative, noSku] = erp.store.seed('stock_move', [
      { data: { number: `H-${w.p}`, lines: [{ lineId: 1, sku: w.pump.sku, quantity: '1.5' }] } },
      { data: { number: `N-${w.p}`, lines: [{ lineId: 2, sku: w.pump.sku, quantity: '-1' }] } },
      { data: { number: `S-${w.p}`, lines: [{ lineId: 3, quantity: '1' }] } },
    ]);
    const run = await scheduler.runOnce(flow.name);
    expect(run).toMatchObject({ created: 0, pullErrors: 3 });
    const errs = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    expect(errs.map((e) => [e.externalId, e.errorClass]).sort()).toEqual(
      [
        [half?.id, 'validation'],
        [negative?.id, 'validation'],
        [noSku?.id, 'validation'],
      ].sort(),
    );
    expect(errs.find((e) => e.externalId === half?.id)?.message).toContain('lines.0.quantity');
    expect((await listAssets(db().db, { customerId: w.customerId }, { limit: 10 })).data).toHaveLength(0);
    expect(await findAssetPurchase(db().db, `H-${w.p}`)).toBeUndefined();
  });
});

describeEachEngine('inbound asset values: book value and depreciation on the matching asset', (db) => {
  let fixture: PullFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  /** The asset values flow over the test ERP, with one of this file's mappings (update only). */
  const valuesPull = (mapping: unknown) =>
    pullFixture(db().db, { entity: 'asset', sourceEntity: 'asset', mapping, operation: 'update' });

  it('updates the asset whose externalRefs names the ERP asset, skips the others, refuses bad values', async () => {
    const w = await world(db().db);
    fixture = await valuesPull(valuesMapping);
    const { erp, scheduler, flow } = fixture;
    expect(checkInboundTarget({ name: flow.name, entity: flow.entity, mapping: flow.mapping })).toEqual([]);
    // A dotted target into a field no applier takes key by key is refused at load, not dropped or failed per record.
    expect(
      checkInboundTarget({
        name: 'customers-in',
        entity: 'customer',
        mapping: { ownership: { name: { owner: 'erp' }, 'sites.0.city': { owner: 'erp' } } },
      }),
    ).toEqual([expect.stringContaining('customer has no writable field(s) sites.0.city')]);
    expect(
      checkInboundTarget({
        name: 'assets-in',
        entity: 'asset',
        mapping: { ownership: { bookValue: { owner: 'erp' }, 'costCenter.x': { owner: 'erp' } } },
      }),
    ).toEqual([
      expect.stringMatching(/no writable field\(s\) costCenter\.x; writable: .*externalRefs\.<key>/),
    ]);
    const [linked, unknown, bad] = erp.store.seed('asset', [
      {
        data: {
          bookValue: '2200.00',
          accumulatedDepreciation: '200.00',
          lastDepreciationDate: '2026-02-28',
          costCenters: ['CC-200'],
        },
      },
      {
        data: {
          bookValue: '10.00',
          accumulatedDepreciation: '0',
          lastDepreciationDate: null,
          costCenters: [],
        },
      },
      {
        data: {
          bookValue: 'lots',
          accumulatedDepreciation: '0',
          lastDepreciationDate: null,
          costCenters: [],
        },
      },
    ]);
    // Like Tryton's reads, the record's data carries its own id.
    for (const r of [linked, unknown, bad]) erp.store.mutate('asset', r?.id ?? '', { id: r?.id });
    const installed = await createAsset(db().db, {
      serialNumber: `SN-${w.p}`,
      itemId: w.boiler.id,
      customerId: w.customerId,
      siteId: w.siteId,
      costCenter: 'CC-100',
      installDate: '2026-01-05',
      externalRefs: { tryton: linked?.id ?? '' },
    });
    const badAsset = await createAsset(db().db, {
      serialNumber: `SN-bad-${w.p}`,
      itemId: w.boiler.id,
      customerId: w.customerId,
      siteId: w.siteId,
      installDate: '2026-01-05',
      externalRefs: { tryton: bad?.id ?? '' },
    });

    const run = await scheduler.runOnce(flow.name);
    expect(run).toMatchObject({ outcome: 'completed', updated: 1, skipped: 1, pullErrors: 1 });
    expect(unknown).toBeTruthy();
    const after = await getAsset(db().db, installed.id);
    expect(after).toMatchObject({
      bookValue: '2200.00',
      accumulatedDepreciation: '200.00',
      lastDepreciationDate: '2026-02-28',
      costCenter: 'CC-200',
      status: 'moved',
    });
    const events = (await eventsOf(db().db, `asset/${installed.id}`)).map((e) => e.type);
    expect(events).toEqual(['asset.created', 'asset.moved', 'asset.updated']);
    const [err] = (await listPullErrors(db().db, { flow: flow.name, status: 'open' })).data;
    expect(err).toMatchObject({ externalId: bad?.id, errorClass: 'validation' });
    expect((await getAsset(db().db, badAsset.id)).bookValue).toBeNull();

    // The next depreciation: only the values change; a re-pull of the same values changes nothing.
    erp.store.mutate('asset', linked?.id ?? '', {
      bookValue: '2100.00',
      accumulatedDepreciation: '300.00',
      lastDepreciationDate: '2026-03-31',
    });
    const next = await scheduler.runOnce(flow.name);
    expect(next).toMatchObject({ updated: 1 });
    expect(await getAsset(db().db, installed.id)).toMatchObject({
      bookValue: '2100.00',
      accumulatedDepreciation: '300.00',
      lastDepreciationDate: '2026-03-31',
      version: after.version + 1,
    });
  });

  it('links the units of a purchase line to the ERP asset bought on it, and values them all; a hand link stays alone', async () => {
    const w = await world(db().db);
    await createAssetPurchase(db().db, {
      purchaseRef: `PO-${w.p}`,
      customerId: w.customerId,
      siteId: w.siteId,
      lines: [
        { lineId: 7, sku: w.boiler.sku, quantity: 2 },
        { lineId: 8, sku: w.pump.sku, quantity: 2 },
      ],
    });
    const units = async (sku: string) =>
      (await listAssets(db().db, { customerId: w.customerId }, { limit: 50 })).data.filter(
        (a) => a.itemId === (sku === w.boiler.sku ? w.boiler.id : w.pump.id),
      );
    const [boiler1, boiler2] = await units(w.boiler.sku);
    const [pump1, pump2] = await units(w.pump.sku);
    fixture = await valuesPull(unitValuesMapping);
    const { erp, scheduler, flow } = fixture;
    const [forBoilers, standalone] = erp.store.seed('asset', [
      {
        data: {
          unitBookValue: '2100',
          unitAccumulatedDepreciation: '300',
          lastDepreciationDate: '2026-03-31',
          costCenters: ['CC-N'],
          purchaseRef: `PO-${w.p}`,
          purchaseLine: 7,
          quantity: '2',
        },
      },
      // Bought elsewhere, linked by hand to the first pump: its sibling is not its unit.
      {
        data: {
          unitBookValue: '900',
          unitAccumulatedDepreciation: '300',
          lastDepreciationDate: '2026-03-31',
          costCenters: [],
          purchaseRef: null,
          purchaseLine: null,
          quantity: '1',
        },
      },
    ]);
    // Tryton's ids, unique in this database (the test ERP numbers each run's records from 1).
    const trytonId = (r: { id: string } | undefined) => `${w.p}-${r?.id ?? ''}`;
    for (const r of [forBoilers, standalone]) erp.store.mutate('asset', r?.id ?? '', { id: trytonId(r) });
    await updateAsset(db().db, pump1?.id ?? '', { externalRefs: { tryton: trytonId(standalone) } });

    expect(await scheduler.runOnce(flow.name)).toMatchObject({
      outcome: 'completed',
      updated: 2,
      pullErrors: 0,
    });
    for (const boiler of [boiler1, boiler2])
      expect(await getAsset(db().db, boiler?.id ?? '')).toMatchObject({
        externalRefs: { tryton: trytonId(forBoilers) },
        bookValue: '2100',
        accumulatedDepreciation: '300',
        costCenter: 'CC-N',
      });
    expect(await getAsset(db().db, pump1?.id ?? '')).toMatchObject({ bookValue: '900' });
    expect(await getAsset(db().db, pump2?.id ?? '')).toMatchObject({ bookValue: null, externalRefs: {} });

    // The next posting reaches both boilers through the one ERP asset.
    erp.store.mutate('asset', forBoilers?.id ?? '', {
      unitBookValue: '2000',
      unitAccumulatedDepreciation: '400',
    });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    for (const boiler of [boiler1, boiler2])
      expect(await getAsset(db().db, boiler?.id ?? ''), boiler?.id).toMatchObject({
        bookValue: '2000',
        accumulatedDepreciation: '400',
      });
  });

  it('a line invoiced in two parts shares its units between the two ERP assets; a unit linked elsewhere in that system stays', async () => {
    const w = await world(db().db);
    await createAssetPurchase(db().db, {
      purchaseRef: `PO-${w.p}`,
      customerId: w.customerId,
      siteId: w.siteId,
      lines: [{ lineId: 9, sku: w.pump.sku, quantity: 4 }],
    });
    const pumps = (await listAssets(db().db, { customerId: w.customerId }, { limit: 50 })).data;
    expect(pumps).toHaveLength(4);
    // The fourth unit was linked by hand to an asset of its own (and has a ref in another system too).
    const [u1, u2, u3, u4] = pumps;
    await updateAsset(db().db, u4?.id ?? '', { externalRefs: { tryton: `${w.p}-mine`, legacy: 'L-4' } });
    fixture = await valuesPull(unitValuesMapping);
    const { erp, scheduler, flow } = fixture;
    const common = { lastDepreciationDate: null, costCenters: [], purchaseRef: `PO-${w.p}`, purchaseLine: 9 };
    const [first, second] = erp.store.seed('asset', [
      { data: { ...common, unitBookValue: '1000', unitAccumulatedDepreciation: '0', quantity: '2' } },
      { data: { ...common, unitBookValue: '1100', unitAccumulatedDepreciation: '0', quantity: '1' } },
    ]);
    const trytonId = (r: { id: string } | undefined) => `${w.p}-${r?.id ?? ''}`;
    for (const r of [first, second]) erp.store.mutate('asset', r?.id ?? '', { id: trytonId(r) });

    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 2, pullErrors: 0 });
    const refOf = async (id: string | undefined) => (await getAsset(db().db, id ?? '')).externalRefs.tryton;
    expect([await refOf(u1?.id), await refOf(u2?.id), await refOf(u3?.id), await refOf(u4?.id)]).toEqual([
      trytonId(first),
      trytonId(first),
      trytonId(second),
      `${w.p}-mine`,
    ]);
    expect((await getAsset(db().db, u3?.id ?? '')).bookValue).toBe('1100');
    expect((await getAsset(db().db, u4?.id ?? '')).bookValue).toBeNull();

    // The first asset's next value reaches its two units only.
    erp.store.mutate('asset', first?.id ?? '', { unitBookValue: '950' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    expect(
      await Promise.all([u1, u2, u3, u4].map(async (u) => (await getAsset(db().db, u?.id ?? '')).bookValue)),
    ).toEqual(['950', '950', '1100', null]);
  });
});

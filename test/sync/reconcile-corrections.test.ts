import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp, TEST_ERP_ENTITIES, testErpConnector } from '../../src/connectors/test-erp/index.js';
import type { ConnectorSession } from '../../src/connectors/sdk/index.js';
import { createCustomer, getCustomer } from '../../src/modules/customers/index.js';
import type { Item } from '../../src/modules/items/index.js';
import { createItem } from '../../src/modules/items/index.js';
import {
  createWarehouse,
  getOnHand,
  listMovements,
  postAdjustment,
  postReceipt,
} from '../../src/modules/stock/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { readEvents, setSubscriptions } from '../../src/platform/outbox/index.js';
import { backlogBySubscriber, lookupExternalIds } from '../../src/sync/delivery/index.js';
import type { OutboundFlow } from '../../src/sync/engine/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import { listReconDiffs, postCorrections, runReconciliation } from '../../src/sync/reconcile/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { customerMapping, quietLogger, waitFor } from './sync-fixture.js';

const itemMapping = {
  fields: {
    sku: { from: 'item.sku', owner: 'fieldsync' },
    name: { from: 'item.name', owner: 'shared', rule: 'latest-wins' },
    unit: { from: 'item.unit', owner: 'fieldsync' },
    listPrice: { from: 'item.listPrice', owner: 'erp' },
  },
};

interface Fixture {
  erp: TestErp;
  session: ConnectorSession;
  connectorName: string;
  flows: OutboundFlow[];
  dispatcher: Dispatcher;
  drained(): Promise<void>;
  close(): Promise<void>;
}

const rand = () => Math.random().toString(36).slice(2, 8);

/** A loopback test ERP (with a `stock_level` entity), customer and item flows (upsert), a dispatcher. */
async function fixture(db: Kysely<Database>): Promise<Fixture> {
  const erp = await startTestErp({ entities: [...TEST_ERP_ENTITIES, 'stock_level'] });
  const session = await testErpConnector.connect({
    baseUrl: erp.url,
    token: erp.token,
    timeoutMs: 5000,
    referenceLookup: false,
  });
  const connectorName = `erp-${rand()}`;
  const common = { connectorName, session, operation: 'upsert', batchSize: 50, concurrency: 2 } as const;
  const retry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 'none' } as const;
  const flows = [
    buildOutboundFlow({
      ...common,
      name: `customers-${rand()}`,
      eventTypes: ['customer.*'],
      entity: 'customer',
      mapping: customerMapping,
      retry,
    }),
    buildOutboundFlow({
      ...common,
      name: `items-${rand()}`,
      eventTypes: ['item.*'],
      entity: 'item',
      mapping: itemMapping,
      retry,
    }),
  ];
  await setSubscriptions(db, Object.fromEntries(flows.map((f) => [f.subscriber, f.eventTypes])));
  const dispatcher = new Dispatcher({ db, flows, logger: quietLogger(), pollMs: 20, leaseMs: 5000 });
  return {
    erp,
    session,
    connectorName,
    flows,
    dispatcher,
    drained: () =>
      waitFor(
        async () =>
          (await backlogBySubscriber(db)).every((b) => b.pending + b.inFlight === 0 && b.dead === 0),
        20_000,
        'sync drained',
      ),
    close: async () => {
      await dispatcher.stop();
      await session.close();
      await erp.close();
      await db.deleteFrom('outbox_subscriptions').execute();
    },
  };
}

function scenario(title: string, body: (db: Kysely<Database>, fx: Fixture) => Promise<void>): void {
  describeEachEngine(`reconciliation: ${title}`, (db) => {
    it(title, async () => {
      const fx = await fixture(db().db);
      try {
        await body(db().db, fx);
      } finally {
        await fx.close();
      }
    });
  });
}

async function externalId(
  db: Kysely<Database>,
  connector: string,
  entity: string,
  localId: string,
): Promise<string> {
  const id = (await lookupExternalIds(db, connector, entity, [localId])).get(localId);
  if (!id) throw new Error(`no crosswalk for ${entity} ${localId}`);
  return id;
}

async function eventCount(db: Kysely<Database>) {
  const row = await db
    .selectFrom('outbox_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

scenario(
  'corrections re-flow through the outbound flows and a second run reports 0 differences',
  async (db, fx) => {
    const { erp, connectorName } = fx;
    await db.deleteFrom('outbox_subscriptions').execute();
    // Created before the flows subscribed: never sent to the ERP.
    const neverSent = await createCustomer(db, {
      name: 'Never sent',
      code: 'NEVER-SENT',
      email: 'never@example.com',
    });
    await setSubscriptions(db, Object.fromEntries(fx.flows.map((f) => [f.subscriber, f.eventTypes])));
    const customers = [];
    for (let i = 0; i < 6; i += 1)
      customers.push(
        await createCustomer(db, { name: `Fix ${i}`, code: `FIX-${i}`, email: `fix${i}@example.com` }),
      );
    const items: Item[] = [];
    for (let i = 0; i < 3; i += 1)
      items.push(
        await createItem(db, {
          sku: `FIX-SKU-${i}`,
          name: `Fix item ${i}`,
          category: 'parts',
          listPrice: '5',
        }),
      );
    fx.dispatcher.start();
    await fx.drained();
    await fx.dispatcher.stop();

    const renamed = customers[0]!;
    const lost = customers[1]!;
    const lostExternal = await externalId(db, connectorName, 'customer', lost.id);
    erp.store.mutate('customer', await externalId(db, connectorName, 'customer', renamed.id), {
      name: 'Typed over in the ERP',
      email: 'other@example.com',
    });
    erp.store.remove('customer', lostExternal);
    erp.store.mutate('item', await externalId(db, connectorName, 'item', items[0]!.id), {
      name: 'Item renamed in the ERP',
    });
    const base = { connectorName, session: fx.session };

    const run = await runReconciliation(db, { ...base, entity: 'customer' });
    expect(run.summary.byKind).toEqual({ missing_here: 0, missing_there: 2, value_differs: 2 });
    const itemRun = await runReconciliation(db, { ...base, entity: 'item' });
    expect(itemRun.summary.byKind).toEqual({ missing_here: 0, missing_there: 0, value_differs: 1 });

    // Dry run first: the plan, and not one write.
    const events = await eventCount(db);
    const plan = await postCorrections(db, run.id);
    expect(plan).toMatchObject({ applied: false, counts: { resync: 4, adjust: 0, skip: 0, fail: 0 } });
    expect(plan.outcomes.map((o) => o.localId).sort()).toEqual([renamed.id, lost.id, neverSent.id].sort());
    expect(plan.outcomes.find((o) => o.localId === renamed.id)?.diffIds).toHaveLength(2);
    expect(await eventCount(db)).toBe(events);

    const applied = await postCorrections(db, run.id, { apply: true });
    expect(applied.counts).toEqual({ resync: 4, adjust: 0, skip: 0, fail: 0 });
    expect(applied.outcomes.every((o) => o.detail.startsWith('event '))).toBe(true);
    const resyncs = await readEvents(db, { types: ['customer.resync'] });
    expect(resyncs.map((e) => e.subject).sort()).toEqual(
      [renamed.id, lost.id, neverSent.id].map((id) => `customer/${id}`).sort(),
    );
    const renamedEvent = resyncs.find((e) => e.subject === `customer/${renamed.id}`);
    expect(renamedEvent?.data).toMatchObject({
      customer: await getCustomer(db, renamed.id),
      changedFields: expect.arrayContaining(['name', 'email']),
      resync: { runId: run.id },
    });
    // The ERP lost this record: its crosswalk entry goes, so the upsert flow creates it again.
    expect((await lookupExternalIds(db, connectorName, 'customer', [lost.id])).size).toBe(0);
    expect((await listReconDiffs(db, run.id, { corrected: false }, { limit: 10 })).data).toEqual([]);
    // Corrected diffs are not corrected twice.
    const again = await postCorrections(db, run.id, { apply: true });
    expect(again.counts).toEqual({ resync: 0, adjust: 0, skip: 0, fail: 0 });
    expect(await eventCount(db)).toBe(events + 3);
    expect((await postCorrections(db, itemRun.id, { apply: true })).counts.resync).toBe(1);

    fx.dispatcher.start();
    await fx.drained();
    const rerun = await runReconciliation(db, { ...base, entity: 'customer' });
    expect(rerun).toMatchObject({ compared: 7, matching: 7, differences: 0, accuracy: 1 });
    const recreated = await externalId(db, connectorName, 'customer', lost.id);
    expect(recreated).not.toBe(lostExternal);
    expect(erp.store.get('customer', recreated)?.data).toMatchObject({ name: lost.name, code: lost.code });
    expect(erp.store.all('customer')).toHaveLength(7);
    expect(await runReconciliation(db, { ...base, entity: 'item' })).toMatchObject({
      differences: 0,
      accuracy: 1,
    });
  },
);

scenario(
  'stock per item × location: accuracy, k quantity mutations found, count adjustments correct them',
  async (db, fx) => {
    const { erp, connectorName } = fx;
    const tag = rand();
    await db.deleteFrom('outbox_subscriptions').execute();
    // Never synced, so its stock is keyed by SKU rather than by the crosswalk.
    const unsynced = await createItem(db, { sku: `D-${tag}`, name: 'D', category: 'parts', listPrice: '1' });
    await setSubscriptions(db, Object.fromEntries(fx.flows.map((f) => [f.subscriber, f.eventTypes])));
    const [a, b, c] = [
      await createItem(db, { sku: `A-${tag}`, name: 'A', category: 'parts', listPrice: '1' }),
      await createItem(db, { sku: `B-${tag}`, name: 'B', category: 'parts', listPrice: '1' }),
      await createItem(db, { sku: `C-${tag}`, name: 'C', category: 'parts', listPrice: '1' }),
    ];
    fx.dispatcher.start();
    await fx.drained();
    const w1 = await createWarehouse(db, {
      code: `W1-${tag}`,
      name: 'Central',
      kind: 'central',
      region: 'north',
      erpLocationRef: 'LOC/1',
    });
    const w2 = await createWarehouse(db, { code: `W2-${tag}`, name: 'Van', kind: 'van', region: 'north' });
    const receive = (itemId: string, warehouseId: string, quantity: string) =>
      postReceipt(db, { itemId, warehouseId, quantity });
    await receive(a!.id, w1.id, '5');
    await receive(a!.id, w2.id, '2.5');
    await receive(b!.id, w1.id, '10');
    await receive(c!.id, w2.id, '1');
    await receive(unsynced.id, w1.id, '4');
    // A pair at zero: no ERP row is needed for it.
    await receive(b!.id, w2.id, '3');
    await postAdjustment(db, { itemId: b!.id, warehouseId: w2.id, quantityDelta: '-3', reason: 'damaged' });

    const ext = async (item: Item) => externalId(db, connectorName, 'item', item.id);
    const [aLoc1, , bLoc1, , dLoc1, cLoc1] = erp.store.seed('stock_level', [
      { data: { item: await ext(a!), location: 'LOC/1', quantity: '5.000' } },
      { data: { item: await ext(a!), location: w2.code, quantity: 2.5 } },
      { data: { item: await ext(b!), location: 'LOC/1', quantity: '10' } },
      { data: { item: await ext(c!), location: w2.code, quantity: '1.0' } },
      { data: { sku: unsynced.sku, location: 'LOC/1', quantity: '4' } },
      { data: { item: await ext(c!), location: 'LOC/1', quantity: '0' } },
    ]);
    const base = { connectorName, session: fx.session, entity: 'stock' };

    const clean = await runReconciliation(db, base);
    expect(clean).toMatchObject({ compared: 5, matching: 5, differences: 0, accuracy: 1 });
    expect(clean.summary).toMatchObject({
      remoteEntity: 'stock_level',
      skippedAbsent: 2,
      kpi: { name: 'inventory_accuracy', scope: `connector:${connectorName}` },
    });

    // k = 4 mutations in the ERP: two counts differ, one row vanished, one pair exists only there.
    erp.store.mutate('stock_level', aLoc1!.id, { quantity: '7' });
    erp.store.mutate('stock_level', dLoc1!.id, { quantity: '3.5' });
    erp.store.remove('stock_level', bLoc1!.id);
    erp.store.mutate('stock_level', cLoc1!.id, { quantity: '2' });
    const run = await runReconciliation(db, base);
    const diffs = (await listReconDiffs(db, run.id, {}, { limit: 100 })).data;
    expect(diffs.map((d) => [d.kind, d.key, d.localValue, d.erpValue]).sort()).toEqual(
      [
        ['missing_here', `id:${await ext(c!)}@LOC/1`, null, JSON.stringify({ quantity: '2' })],
        ['missing_there', `id:${await ext(b!)}@LOC/1`, JSON.stringify({ quantity: '10' }), null],
        ['value_differs', `id:${await ext(a!)}@LOC/1`, '5', '7'],
        ['value_differs', `sku:${unsynced.sku}@LOC/1`, '4', '3.5'],
      ].sort(),
    );
    expect(run).toMatchObject({ compared: 6, matching: 2, differences: 4 });
    expect(run.accuracy).toBeCloseTo(2 / 6, 10);
    const samples = await db
      .selectFrom('sync_kpi_samples')
      .select(['value', 'scope'])
      .where('name', '=', 'inventory_accuracy')
      .orderBy('id')
      .execute();
    expect(samples.map((s) => [s.scope, Number(s.value)])).toEqual([
      [`connector:${connectorName}`, 1],
      [`connector:${connectorName}`, 2 / 6],
    ]);

    const corrections = await postCorrections(db, run.id, {
      apply: true,
      kinds: ['missing_here', 'missing_there', 'value_differs'],
    });
    expect(corrections.counts).toEqual({ resync: 0, adjust: 2, skip: 2, fail: 0 });
    const qty = async (itemId: string, warehouseId: string) =>
      (await getOnHand(db, { itemId, warehouseId, includeZero: true }))[0]?.quantity;
    expect(await qty(a!.id, w1.id)).toBe('7');
    expect(await qty(unsynced.id, w1.id)).toBe('3.5');
    const adjustments = await listMovements(
      db,
      { kind: 'adjustment', reference: `recon:${run.id}` },
      { limit: 10 },
    );
    expect(adjustments.data.map((m) => m.quantity).sort()).toEqual(['-0.5', '2']);
    expect((await postCorrections(db, run.id, { apply: true })).counts.adjust).toBe(0);
    expect(
      (await listMovements(db, { kind: 'adjustment', reference: `recon:${run.id}` }, { limit: 10 })).data,
    ).toHaveLength(2);

    const rerun = await runReconciliation(db, base);
    expect(rerun.summary.byKind).toEqual({ missing_here: 1, missing_there: 1, value_differs: 0 });
  },
);

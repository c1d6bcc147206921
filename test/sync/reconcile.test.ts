import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp, TEST_ERP_ENTITIES, testErpConnector } from '../../src/connectors/test-erp/index.js';
import type { ConnectorSession } from '../../src/connectors/sdk/index.js';
import type { Customer } from '../../src/modules/customers/index.js';
import { createCustomer, updateCustomer } from '../../src/modules/customers/index.js';
import type { Item } from '../../src/modules/items/index.js';
import { createItem, updateItem } from '../../src/modules/items/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { backlogBySubscriber, lookupExternalIds } from '../../src/sync/delivery/index.js';
import type { OutboundFlow } from '../../src/sync/engine/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import type { ReconProgress, ReconReport } from '../../src/sync/reconcile/index.js';
import {
  getReconRun,
  listReconDiffs,
  listReconRuns,
  postCorrections,
  reconFieldsFromMapping,
  runReconciliation,
} from '../../src/sync/reconcile/index.js';
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

interface ReconFixture {
  erp: TestErp;
  session: ConnectorSession;
  connectorName: string;
  flows: OutboundFlow[];
  dispatcher: Dispatcher;
  drained(): Promise<void>;
  close(): Promise<void>;
}

const rand = () => Math.random().toString(36).slice(2, 8);

/** A loopback test ERP, customer and item flows to it (upsert through the crosswalk), and a dispatcher. */
async function reconFixture(db: Kysely<Database>): Promise<ReconFixture> {
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

async function seedAndSync(
  db: Kysely<Database>,
  fx: ReconFixture,
  counts: { customers: number; items: number },
) {
  const tag = rand();
  const customers: Customer[] = [];
  for (let i = 0; i < counts.customers; i += 1) {
    customers.push(
      await createCustomer(db, {
        name: `Customer ${tag} ${i}`,
        code: `C-${tag}-${i}`,
        email: `c${i}.${tag}@example.com`,
      }),
    );
  }
  const items: Item[] = [];
  for (let i = 0; i < counts.items; i += 1) {
    items.push(
      await createItem(db, {
        sku: `SKU-${tag}-${i}`,
        name: `Item ${i}`,
        category: 'parts',
        unit: 'pcs',
        listPrice: `${10 + i}`,
      }),
    );
  }
  fx.dispatcher.start();
  await fx.drained();
  return { customers, items };
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

async function count(db: Kysely<Database>, table: 'sync_recon_runs' | 'sync_recon_diffs' | 'outbox_events') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function allDiffs(db: Kysely<Database>, run: ReconReport) {
  return (await listReconDiffs(db, run.id, {}, { limit: 1000 })).data;
}

/** One scenario per database: reconciliation compares whole tables, so scenarios must not share one. */
function scenario(title: string, body: (db: Kysely<Database>, fx: ReconFixture) => Promise<void>): void {
  describeEachEngine(`reconciliation: ${title}`, (db) => {
    it(title, async () => {
      const fx = await reconFixture(db().db);
      try {
        await body(db().db, fx);
      } finally {
        await fx.close();
      }
    });
  });
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

scenario('reports 0 differences and 100 % accuracy for customers and items (R7)', async (database, fx) => {
  await seedAndSync(database, fx, { customers: 25, items: 12 });
  const base = { connectorName: fx.connectorName, session: fx.session };

  const customers = await runReconciliation(database, { ...base, entity: 'customer' });
  expect(customers).toMatchObject({
    status: 'completed',
    compared: 25,
    matching: 25,
    differences: 0,
    accuracy: 1,
  });
  expect(customers.summary).toMatchObject({ localLoaded: 25, remoteRead: 25, phase: 'done' });
  expect(await allDiffs(database, customers)).toEqual([]);

  const items = await runReconciliation(database, { ...base, entity: 'item' });
  expect(items).toMatchObject({
    status: 'completed',
    compared: 12,
    matching: 12,
    differences: 0,
    accuracy: 1,
  });

  // The KPI of each run is a stored sample, scoped by connector and entity.
  const samples = await database
    .selectFrom('sync_kpi_samples')
    .selectAll()
    .where('name', '=', 'recon_accuracy')
    .execute();
  expect(samples.map((s) => [s.scope, Number(s.value)]).sort()).toEqual([
    [`connector:${fx.connectorName}/customer`, 1],
    [`connector:${fx.connectorName}/item`, 1],
  ]);
});

scenario('compares exactly the fields a flow mapping sends when asked to', async (database, fx) => {
  await seedAndSync(database, fx, { customers: 5, items: 0 });
  const derived = reconFieldsFromMapping(customerMapping, 'customer');
  expect(derived.fields.map((f) => [f.name, f.remote, f.owner])).toEqual([
    ['name', 'name', 'erp'],
    ['code', 'code', 'erp'],
    ['email', 'email', 'shared'],
    ['version', 'version', 'fieldsync'],
  ]);
  const run = await runReconciliation(database, {
    connectorName: fx.connectorName,
    session: fx.session,
    entity: 'customer',
    fields: derived.fields,
  });
  expect(run).toMatchObject({ compared: 5, matching: 5, differences: 0 });
  expect(run.summary.fields.map((f) => f.name)).toEqual(['name', 'code', 'email', 'version']);
});
scenario(
  'finds every one of k mutations made in the ERP and locally, with the right kind, and nothing else (R7)',
  async (database, fx) => {
    const { erp, connectorName } = fx;
    const { customers, items } = await seedAndSync(database, fx, { customers: 12, items: 8 });
    await fx.dispatcher.stop();
    const c = customers;
    const i = items;
    const ext = (entity: string, id: string) => externalId(database, connectorName, entity, id);

    // In the ERP, behind the hub's back.
    erp.store.mutate('customer', await ext('customer', c[0]!.id), { name: 'Renamed in the ERP' });
    erp.store.remove('customer', await ext('customer', c[2]!.id));
    const [erpOnly] = erp.store.seed('customer', [{ data: { name: 'Only in the ERP', code: 'ERP-ONLY' } }]);
    erp.store.mutate('item', await ext('item', i[1]!.id), { unit: 'box' });
    erp.store.remove('item', await ext('item', i[2]!.id));
    erp.store.mutate('item', await ext('item', i[3]!.id), { listPrice: '99.5' });
    // Not differences: case of an e-mail, white space, and decimal spelling.
    erp.store.mutate('customer', await ext('customer', c[1]!.id), { email: c[1]!.email!.toUpperCase() });
    erp.store.mutate('customer', await ext('customer', c[3]!.id), { name: `  ${c[3]!.name}  ` });
    erp.store.mutate('item', await ext('item', i[0]!.id), { listPrice: 10 });
    erp.store.mutate('item', await ext('item', i[5]!.id), { listPrice: `${10 + 5}.000` });
    // Locally, while no dispatcher runs.
    await updateCustomer(database, c[4]!.id, { email: 'changed.here@example.com' });
    const localOnly = await createCustomer(database, { name: 'Only here', code: 'LOCAL-ONLY' });
    await updateItem(database, i[4]!.id, { name: 'Renamed here' });

    const base = { connectorName, session: fx.session };
    const run = await runReconciliation(database, { ...base, entity: 'customer' });
    const found = (await allDiffs(database, run)).map((d) => ({
      kind: d.kind,
      localId: d.localId,
      externalId: d.externalId,
      field: d.field,
    }));
    expect(found).toHaveLength(5);
    expect(found).toEqual(
      expect.arrayContaining([
        {
          kind: 'value_differs',
          localId: c[0]!.id,
          externalId: await ext('customer', c[0]!.id),
          field: 'name',
        },
        {
          kind: 'value_differs',
          localId: c[4]!.id,
          externalId: await ext('customer', c[4]!.id),
          field: 'email',
        },
        {
          kind: 'missing_there',
          localId: c[2]!.id,
          externalId: await ext('customer', c[2]!.id),
          field: null,
        },
        { kind: 'missing_there', localId: localOnly.id, externalId: null, field: null },
        { kind: 'missing_here', localId: null, externalId: erpOnly!.id, field: null },
      ]),
    );
    expect(run).toMatchObject({ compared: 14, matching: 9, differences: 5 });
    expect(run.accuracy).toBeCloseTo(9 / 14, 10);
    expect(run.summary.byKind).toEqual({ missing_here: 1, missing_there: 2, value_differs: 2 });
    const renamed = (
      await listReconDiffs(database, run.id, { kind: 'value_differs' }, { limit: 10 })
    ).data.find((d) => d.field === 'name');
    expect(renamed).toMatchObject({
      key: `id:${await ext('customer', c[0]!.id)}`,
      localValue: c[0]!.name,
      erpValue: 'Renamed in the ERP',
    });
    const onlyHere = (
      await listReconDiffs(database, run.id, { kind: 'missing_there' }, { limit: 10 })
    ).data.find((d) => d.localId === localOnly.id);
    expect(onlyHere?.key).toBe('code:LOCAL-ONLY');
    expect(JSON.parse(onlyHere?.localValue ?? '{}')).toEqual({
      code: 'LOCAL-ONLY',
      name: 'Only here',
      email: null,
    });

    const itemRun = await runReconciliation(database, { ...base, entity: 'item' });
    const itemDiffs = (await allDiffs(database, itemRun)).map((d) => [d.kind, d.localId, d.field]);
    expect(itemDiffs).toHaveLength(4);
    expect(itemDiffs).toEqual(
      expect.arrayContaining([
        ['value_differs', i[1]!.id, 'unit'],
        ['value_differs', i[3]!.id, 'listPrice'],
        ['value_differs', i[4]!.id, 'name'],
        ['missing_there', i[2]!.id, null],
      ]),
    );
    expect(itemRun).toMatchObject({ compared: 8, matching: 4, differences: 4, accuracy: 0.5 });

    // A dry run explains what corrections would do and writes nothing.
    const events = await count(database, 'outbox_events');
    const plan = await postCorrections(database, itemRun.id, {
      kinds: ['value_differs', 'missing_there', 'missing_here'],
    });
    expect(plan.applied).toBe(false);
    expect(plan.counts).toEqual({ resync: 3, adjust: 0, skip: 1, fail: 0 });
    expect(plan.outcomes.find((o) => o.localId === i[3]!.id)).toMatchObject({
      action: 'skip',
      detail: expect.stringContaining('ERP owns listPrice'),
    });
    const customerPlan = await postCorrections(database, run.id, { kinds: ['missing_here'] });
    expect(customerPlan.outcomes).toEqual([
      expect.objectContaining({
        action: 'skip',
        kind: 'missing_here',
        detail: expect.stringContaining('create it here'),
      }),
    ]);
    expect(await count(database, 'outbox_events')).toBe(events);
    expect((await listReconDiffs(database, itemRun.id, { corrected: true }, { limit: 10 })).data).toEqual([]);
  },
);
scenario('records progress counters on the run row while it runs', async (database, fx) => {
  await seedAndSync(database, fx, { customers: 45, items: 0 });
  const seen: { progress: ReconProgress; row: { status: string; compared: number; summary: string } }[] = [];
  const run = await runReconciliation(database, {
    connectorName: fx.connectorName,
    session: fx.session,
    entity: 'customer',
    pageSize: 7,
    progressEvery: 10,
    onProgress: async (progress) => {
      const row = await database
        .selectFrom('sync_recon_runs')
        .select(['status', 'compared', 'summary'])
        .where('id', '=', progress.runId)
        .executeTakeFirstOrThrow();
      seen.push({ progress, row: { ...row, compared: Number(row.compared) } });
    },
  });
  const phases = [...new Set(seen.map((s) => s.progress.phase))];
  expect(phases).toEqual(['local', 'remote', 'leftover', 'done']);
  const running = seen.filter((s) => s.progress.phase !== 'done');
  expect(running.length).toBeGreaterThan(8);
  for (const s of running) {
    expect(s.row.status).toBe('running');
    expect(s.row.compared).toBe(s.progress.compared);
    expect(JSON.parse(s.row.summary)).toMatchObject({
      localLoaded: s.progress.localLoaded,
      remoteRead: s.progress.remoteRead,
    });
  }
  const loaded = running.map((s) => s.progress.localLoaded);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  expect(
    seen.some((s) => s.progress.phase === 'remote' && s.progress.compared > 0 && s.progress.compared < 45),
  ).toBe(true);
  expect(seen.at(-1)?.row.status).toBe('completed');
  expect(run).toMatchObject({ compared: 45, matching: 45 });
});

scenario(
  'marks the run failed with the connector error class when the ERP refuses the read',
  async (database, fx) => {
    await seedAndSync(database, fx, { customers: 3, items: 0 });
    fx.erp.faults.failNext(1, { kind: 'unauthorized' });
    await expect(
      runReconciliation(database, {
        connectorName: fx.connectorName,
        session: fx.session,
        entity: 'customer',
      }),
    ).rejects.toMatchObject({
      errorClass: 'auth',
    });
    const [failed] = (await listReconRuns(database, { status: 'failed' }, { limit: 5 })).data;
    expect(failed).toMatchObject({
      status: 'failed',
      entity: 'customer',
      connector: fx.connectorName,
      accuracy: null,
    });
    expect(failed?.error).toMatch(/^auth: /);
    expect(failed?.finishedAt).not.toBeNull();
    await expect(postCorrections(database, failed!.id, { apply: true })).rejects.toMatchObject({
      code: 'conflict',
    });
  },
);

scenario(
  'refuses billing documents (no local reader yet), unknown entities and bad fields without writing a run',
  async (database, fx) => {
    const base = { connectorName: fx.connectorName, session: fx.session };
    const before = await count(database, 'sync_recon_runs');
    const billing = await caught(runReconciliation(database, { ...base, entity: 'billing_document' }));
    expect(billing.code).toBe('validation');
    expect(billing.message).toContain('billing_document');
    const unknown = await caught(runReconciliation(database, { ...base, entity: 'widget' }));
    expect(unknown).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('customer, item, stock, billing_document'),
    });
    const badPath = await caught(
      runReconciliation(database, { ...base, entity: 'customer', fields: [{ name: 'x', remote: 'a..b' }] }),
    );
    expect(badPath.issues).toEqual([{ path: [0, 'remote'], message: expect.any(String) }]);
    const twice = await caught(
      runReconciliation(database, { ...base, entity: 'customer', fields: ['name', 'name'] }),
    );
    expect(twice.issues[0]?.message).toContain('twice');
    const none = await caught(runReconciliation(database, { ...base, entity: 'customer', fields: [] }));
    expect(none.code).toBe('validation');
    expect(await count(database, 'sync_recon_runs')).toBe(before);
  },
);

scenario('lists runs newest first and diffs by kind, both paged', async (database, fx) => {
  const { customers } = await seedAndSync(database, fx, { customers: 6, items: 0 });
  for (const c of customers.slice(0, 3)) {
    fx.erp.store.mutate('customer', await externalId(database, fx.connectorName, 'customer', c.id), {
      name: 'x',
      email: 'y@example.com',
    });
  }
  const base = { connectorName: fx.connectorName, session: fx.session, entity: 'customer' };
  const first = await runReconciliation(database, base);
  const second = await runReconciliation(database, base);
  const page1 = await listReconRuns(database, { connector: fx.connectorName }, { limit: 1 });
  expect(page1.data.map((r) => r.id)).toEqual([second.id]);
  const page2 = await listReconRuns(
    database,
    { connector: fx.connectorName },
    { limit: 1, afterId: page1.nextAfterId ?? '' },
  );
  expect(page2.data.map((r) => r.id)).toEqual([first.id]);
  expect(page2.nextAfterId).toBeNull();
  expect(await getReconRun(database, first.id)).toMatchObject({
    differences: 3,
    summary: { byKind: { value_differs: 6 } },
  });

  const ids: number[] = [];
  let afterId: number | undefined;
  do {
    const page = await listReconDiffs(
      database,
      first.id,
      { kind: 'value_differs' },
      { limit: 4, ...(afterId && { afterId }) },
    );
    ids.push(...page.data.map((d) => d.id));
    afterId = page.nextAfterId ?? undefined;
  } while (afterId !== undefined);
  expect(ids).toHaveLength(6);
  expect(new Set(ids).size).toBe(6);
  expect((await listReconDiffs(database, first.id, { kind: 'missing_here' }, { limit: 4 })).data).toEqual([]);
  await expect(getReconRun(database, 'no-such-run')).rejects.toMatchObject({ code: 'not_found' });
  await expect(listReconDiffs(database, 'no-such-run')).rejects.toMatchObject({ code: 'not_found' });
});

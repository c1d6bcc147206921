// Issue 6 benchmark: the Tryton connector against a real trytond 6.0 on SQLite (test harness), one run:
//  1. raw ceiling: direct batched JSON-RPC creates (TrytonClient) of parties and of draft stock moves;
//  2. the same records delivered by Fieldsync: outbox events → Dispatcher → tryton connector → Tryton;
//  3. the initial pull of 50,000 parties and 10,000 products (readAll, and readChanges for parties), peak RSS.
// Run: npx tsx bench/tryton.ts   (BENCH_TRYTON_N=5000 records per write case over BENCH_TRYTON_ROUNDS=5
// interleaved rounds, BENCH_TRYTON_PULL_PARTIES=50000, BENCH_TRYTON_PULL_PRODUCTS=10000,
// BENCH_TRYTON_CASES=parties,moves,workorders,done,tagcost,pull to run some cases only; needs trytond:
// scripts/tryton/install.sh)
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { TrytonConnectorConfigInput } from '../src/connectors/tryton/index.js';
import { trytonConfigSchema, trytonConnector } from '../src/connectors/tryton/index.js';
import {
  BATCH_MARK_LINK,
  batchMarkName,
  findMarked,
  formatBatchMark,
} from '../src/connectors/tryton/runtime/markers.js';
import type { TrytonRuntime } from '../src/connectors/tryton/runtime/runtime.js';
import type { TrytonClient } from '../src/connectors/tryton/transport/index.js';
import type { Database } from '../src/platform/db/index.js';
import { createLogger } from '../src/platform/logging/index.js';
import { inTransaction, setSubscriptions } from '../src/platform/outbox/index.js';
import { newId } from '../src/shared/ids.js';
import { buildOutboundFlow, Dispatcher } from '../src/sync/engine/index.js';
import { createTestDatabase } from '../test/support/databases.js';
import { startTryton } from '../test/support/tryton/index.js';
import type { TrytonHandle } from '../test/support/tryton/index.js';
import { fmt, trackPeakRss } from './support.js';
import { CallRecorder, trytondPid } from './tryton-calls.js';

const N = Number(process.env.BENCH_TRYTON_N ?? 5000);
const PULL_PARTIES = Number(process.env.BENCH_TRYTON_PULL_PARTIES ?? 50_000);
const PULL_PRODUCTS = Number(process.env.BENCH_TRYTON_PULL_PRODUCTS ?? 10_000);
const BATCH = 200;
const ROUNDS = Number(process.env.BENCH_TRYTON_ROUNDS ?? 5);
const SEED_BATCH = 500;
const CASES = new Set(
  (process.env.BENCH_TRYTON_CASES ?? 'parties,moves,workorders,done,tagcost,pull').split(','),
);
const quiet = createLogger('fatal', new Writable({ write: (_c, _e, done) => done() }));

/** The same party on both paths: a name, one address, one e-mail. */
const party = (i: number, tag: string) => ({
  name: `Bench party ${tag} ${i}`,
  sites: [{ name: 'Main', line1: `${i} Bench street`, city: 'Gent', postalCode: '9000' }],
  email: `party-${tag}-${i}@example.com`,
});
const rawParty = (i: number, tag: string) => {
  const p = party(i, tag);
  return {
    name: p.name,
    addresses: [
      ['create', [{ name: 'Main', street: `${i} Bench street`, city: 'Gent', postal_code: '9000' }]],
    ],
    contact_mechanisms: [['create', [{ type: 'email', value: p.email }]]],
  };
};

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  run: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await run(items.slice(i, i + size));
}

async function createProduct(tryton: TrytonHandle, sku: string): Promise<number> {
  const client = tryton.client();
  const [template] = await client.create('product.template', [
    {
      name: `Bench ${sku}`,
      type: 'goods',
      default_uom: tryton.setup.uom.unit,
      list_price: '10.00',
      account_category: tryton.setup.accountCategoryId,
      products: [['create', [{ suffix_code: sku, cost_price: '4.00' }]]],
    },
  ]);
  const [row] = await client.read<{ products: number[] }>(
    'product.template',
    [template as number],
    ['products'],
  );
  return row?.products[0] as number;
}

/** Fieldsync's path: N events in the outbox, then a dispatcher delivering them with the tryton connector. */
async function deliver(
  tryton: TrytonHandle,
  options: {
    name: string;
    entity: 'party' | 'stock_move';
    mapping: unknown;
    config?: Partial<TrytonConnectorConfigInput>;
    event: (i: number) => { subject: string; data: Record<string, unknown> };
    /** Events to deliver (default N). */
    events?: number;
    /** The connector payload of one event, sent once before the clock starts (warm-up). */
    warmPayload: (data: Record<string, unknown>) => Record<string, unknown>;
    /** Records one event writes (for the per-call report). */
    recordsPerEvent?: number;
  },
): Promise<{ seconds: number; delivered: number; dead: number }> {
  const testDb = await createTestDatabase('sqlite');
  const db: Kysely<Database> = testDb.handle.db;
  const config = trytonConfigSchema.parse({
    url: tryton.url,
    database: tryton.database,
    login: tryton.adminLogin,
    password: tryton.adminPassword,
    timeouts: { requestMs: 120_000, buttonMs: 300_000 },
    ...options.config,
  });
  const session = await trytonConnector.connect(config);
  const flow = buildOutboundFlow({
    name: options.name,
    eventTypes: [`bench.${options.name}`],
    connectorName: 'tryton',
    session,
    entity: options.entity,
    operation: 'create',
    mapping: options.mapping,
    batchSize: BATCH,
    // Two workers over one session (maxInFlight 1): Tryton still sees one request at a time, but the next
    // batch is leased and mapped while the current one is in Tryton, so Tryton never waits for Fieldsync.
    concurrency: 2,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, jitter: 'none' },
  });
  await setSubscriptions(db, { [flow.subscriber]: flow.eventTypes });
  const events = options.events ?? N;
  for (let i = 0; i < events; i += 500) {
    await inTransaction(db, async (uow) => {
      for (let j = i; j < Math.min(events, i + 500); j += 1)
        await uow.emit({ type: `bench.${options.name}`, ...options.event(j) });
    });
  }
  // A running hub's session is warm: logged in, field types and look-ups cached (the raw client is too).
  await session.check();
  const warm = options.event(-1);
  await session.writeBatch(options.entity, [
    {
      idempotencyKey: `warm-${newId()}`,
      op: 'create',
      reference: newId(),
      payload: options.warmPayload(warm.data),
    },
  ]);
  const dispatcher = new Dispatcher({ db, flows: [flow], logger: quiet, pollMs: 20, leaseMs: 600_000 });
  // One query per poll for both counts: the poll runs in the hub's process, beside the engine it measures.
  const settled = async () => {
    const rows = await db
      .selectFrom('outbox_deliveries')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('subscriber', '=', flow.subscriber)
      .where('status', 'in', ['delivered', 'dead'])
      .groupBy('status')
      .execute();
    const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return [of('delivered'), of('dead')] as const;
  };
  let delivered = 0;
  let dead = 0;
  const seconds = await timed(() =>
    calls.measure(`engine: ${options.name}`, events * (options.recordsPerEvent ?? 1), async () => {
      dispatcher.start();
      const until = Date.now() + 30 * 60_000;
      while (Date.now() < until) {
        [delivered, dead] = await settled();
        if (delivered + dead >= events) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    }),
  );
  await dispatcher.stop();
  await session.close();
  await testDb.drop();
  return { seconds, delivered, dead };
}

/**
 * What an idempotent client has to do at least for one move per reference on a first attempt, straight
 * over JSON-RPC: create the moves, then tag them with one batch mark listing every reference (the
 * connector's protocol without Fieldsync; a retry would also search the tags first).
 */
async function rawTaggedMoves(
  client: TrytonClient,
  move: Record<string, unknown>,
  references: readonly string[],
): Promise<void> {
  const ids = await client.create(
    'stock.move',
    references.map(() => move),
  );
  await client.create('ir.attachment', [batchMark(ids, references)]);
}

/** One batch mark (markers.ts) for `ids`, one per reference. */
function batchMark(ids: readonly number[], references: readonly string[]): Record<string, unknown> {
  return {
    name: batchMarkName(references),
    type: 'link',
    link: BATCH_MARK_LINK,
    resource: `stock.move,${ids[0]}`,
    description: formatBatchMark(
      ids.map((id, i) => ({ tag: `fieldsync:${references[i]}`, ids: [id], label: references[i] ?? '' })),
    ),
  };
}

async function seedParties(client: TrytonClient, total: number): Promise<void> {
  const have = await client.searchCount('party.party', []);
  const indexes = Array.from({ length: Math.max(0, total - have) }, (_, i) => i);
  await inBatches(indexes, SEED_BATCH, (batch) =>
    client.create(
      'party.party',
      batch.map((i) => rawParty(i, 'seed')),
    ),
  );
}

async function seedProducts(tryton: TrytonHandle, client: TrytonClient, total: number): Promise<void> {
  const have = await client.searchCount('product.product', []);
  const indexes = Array.from({ length: Math.max(0, total - have) }, (_, i) => i);
  await inBatches(indexes, SEED_BATCH, (batch) =>
    client.create(
      'product.template',
      batch.map((i) => ({
        name: `Seeded product ${i}`,
        type: 'goods',
        default_uom: tryton.setup.uom.unit,
        list_price: '12.50',
        account_category: tryton.setup.accountCategoryId,
        products: [['create', [{ suffix_code: `SEED-${i}`, cost_price: '5.00' }]]],
      })),
    ),
  );
}

async function pullAll(tryton: TrytonHandle, entity: 'party' | 'product', mode: 'readAll' | 'readChanges') {
  const session = await trytonConnector.connect(
    trytonConfigSchema.parse({
      url: tryton.url,
      database: tryton.database,
      login: tryton.adminLogin,
      password: tryton.adminPassword,
    }),
  );
  await session.check();
  let records = 0;
  const rss = trackPeakRss();
  const seconds = await timed(async () => {
    if (mode === 'readAll') {
      for await (const record of session.readAll(entity)) if (record.externalId) records += 1;
      return;
    }
    let cursor = null;
    for (let page = 0; page < 100_000; page += 1) {
      const result = await session.readChanges(entity, cursor, 500);
      records += result.records.length;
      cursor = result.nextCursor;
      if (!result.hasMore) return;
    }
  });
  const peakMb = rss.stop();
  await session.close();
  return { records, seconds, peakMb };
}

const tryton = await startTryton({ readyTimeoutMs: 120_000 });
const calls = new CallRecorder(trytondPid(tryton.dir));
try {
  const client = tryton.client();
  await client.login();
  const tag = newId().slice(-6);
  console.log(`Tryton connector benchmark: trytond on SQLite (harness), batches of ${BATCH}`);

  // 1 and 2, interleaved: the machine is shared, so each round measures raw and engine back to back and
  // the reported rates are the medians over the rounds (load that drifts over minutes hits both sides).
  const product = await createProduct(tryton, `BENCH-${tag}`);
  const move = {
    product,
    uom: tryton.setup.uom.unit,
    quantity: 1,
    from_location: tryton.setup.locations.storage,
    to_location: tryton.setup.locations.customer,
    company: tryton.setup.company.id,
    unit_price: '4.00',
    currency: tryton.setup.company.currencyId,
  };
  // The raw client is warmed like the engine's session: logged in, context and field types fetched.
  await client.create('stock.move', [move]);
  await client.create('party.party', [rawParty(-1, `warm-${tag}`)]);
  const perRound = Math.floor(N / ROUNDS / BATCH) * BATCH || BATCH;
  const linesOf = (n: number) =>
    Array.from({ length: n }, () => ({ product, quantity: '1', location: 'stock.location_storage' }));
  const moveMapping = {
    fields: {
      label: { from: 'label', owner: 'fieldsync' },
      lines: { from: 'lines', owner: 'fieldsync', required: true },
    },
  };
  const samples: Record<string, number[]> = {
    rawParties: [],
    parties: [],
    rawMoves: [],
    rawTagged: [],
    moves: [],
    workOrders: [],
  };
  let dead = 0;
  let doneMoves: Awaited<ReturnType<typeof deliver>> | undefined;
  for (let round = 0; round < ROUNDS; round += 1) {
    const indexes = Array.from({ length: perRound }, (_, i) => i);
    const rt = `${tag}-${round}`;
    if (CASES.has('parties')) {
      const rawPartySeconds = await timed(() =>
        inBatches(indexes, BATCH, (batch) =>
          client.create(
            'party.party',
            batch.map((i) => rawParty(i, `raw-${rt}`)),
          ),
        ),
      );
      samples.rawParties?.push(perRound / rawPartySeconds);
      const parties = await deliver(tryton, {
        name: 'parties',
        entity: 'party',
        events: perRound,
        mapping: {
          fields: {
            name: { from: 'party.name', owner: 'fieldsync', required: true },
            sites: { from: 'party.sites', owner: 'fieldsync' },
            email: { from: 'party.email', owner: 'fieldsync' },
          },
        },
        event: (i) => ({ subject: `customer/${newId()}`, data: { party: party(i, `engine-${rt}`) } }),
        warmPayload: (data) => data.party as Record<string, unknown>,
      });
      samples.parties?.push(parties.delivered / parties.seconds);
      dead += parties.dead;
    }
    if (!CASES.has('moves') && !CASES.has('workorders')) continue;
    const rawMoveSeconds = await timed(() =>
      calls.measure('raw: moves', perRound, () =>
        inBatches(indexes, BATCH, (batch) =>
          client.create(
            'stock.move',
            batch.map(() => move),
          ),
        ),
      ),
    );
    samples.rawMoves?.push(perRound / rawMoveSeconds);
    if (CASES.has('moves')) {
      const rawTaggedSeconds = await timed(() =>
        calls.measure('raw, idempotent: moves', perRound, () =>
          inBatches(indexes, BATCH, (batch) =>
            rawTaggedMoves(
              client,
              move,
              batch.map((i) => `raw-${rt}-${i}`),
            ),
          ),
        ),
      );
      samples.rawTagged?.push(perRound / rawTaggedSeconds);
      const moves = await deliver(tryton, {
        name: 'moves',
        entity: 'stock_move',
        config: { stockMoveState: 'draft' },
        events: perRound,
        mapping: moveMapping,
        event: (i) => ({ subject: `stock/${newId()}`, data: { label: `bench ${i}`, lines: linesOf(1) } }),
        warmPayload: (data) => data,
      });
      samples.moves?.push(moves.delivered / moves.seconds);
      dead += moves.dead;
    }
    if (CASES.has('workorders')) {
      const workOrders = await deliver(tryton, {
        name: 'workorders',
        entity: 'stock_move',
        config: { stockMoveState: 'draft' },
        events: perRound / 4,
        recordsPerEvent: 4,
        mapping: moveMapping,
        event: (i) => ({ subject: `work_order/${newId()}`, data: { label: `WO ${i}`, lines: linesOf(4) } }),
        warmPayload: (data) => data,
      });
      samples.workOrders?.push((workOrders.delivered * 4) / workOrders.seconds);
      dead += workOrders.dead;
    }
  }
  if (CASES.has('done')) {
    doneMoves = await deliver(tryton, {
      name: 'movesdone',
      entity: 'stock_move',
      config: { acknowledgeWarnings: ['stock.move.do'] },
      events: 400,
      mapping: { fields: { lines: { from: 'lines', owner: 'fieldsync', required: true } } },
      event: () => ({ subject: `stock/${newId()}`, data: { lines: linesOf(1) } }),
      warmPayload: (data) => data,
    });
    dead += doneMoves.dead;
  }

  // What Tryton spends per batch on the tag, next to the create itself: the batch mark a first attempt
  // writes, the per-op tags written before batch marks, and the look-up a retry makes (for every tag of
  // the batch), against the database as the write cases left it.
  const tagCost = {
    create: [] as number[],
    mark: [] as number[],
    perOp: [] as number[],
    retrySearch: [] as number[],
    empty: [] as number[],
  };
  let attachments = 0;
  const markRuntime = { client } as unknown as TrytonRuntime;
  for (let rep = 0; rep < (CASES.has('tagcost') ? 5 : 0); rep += 1) {
    let ids: number[] = [];
    tagCost.create.push(
      await timed(async () => {
        ids = await client.create(
          'stock.move',
          Array.from({ length: BATCH }, () => move),
        );
      }),
    );
    // What any call costs whatever it does: trytond checks the session in a transaction of its own, runs
    // the call in another and then touches the session (a write, committed) before it answers.
    tagCost.empty.push(
      await timed(async () => {
        await client.searchCount('ir.attachment', [['id', '=', -1]]);
      }),
    );
    const references = ids.map((id) => `bench-${tag}-${rep}-${id}`);
    tagCost.mark.push(
      await timed(async () => {
        await client.create('ir.attachment', [batchMark(ids, references)]);
      }),
    );
    tagCost.perOp.push(
      await timed(async () => {
        await client.create(
          'ir.attachment',
          ids.map((id, i) => ({
            name: `bench ${i}`,
            type: 'link',
            link: `fieldsync:per-op-${references[i]}`,
            resource: `stock.move,${id}`,
            description: String(id),
          })),
        );
      }),
    );
    attachments = await client.searchCount('ir.attachment', []);
    tagCost.retrySearch.push(
      await timed(async () => {
        const found = await findMarked(
          markRuntime,
          'stock.move',
          references.map((r) => `fieldsync:${r}`),
        );
        if (found.size !== BATCH) throw new Error(`retry look-up found ${found.size} of ${BATCH}`);
      }),
    );
  }

  const median = (xs: number[] = []) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const range = (xs: number[] = []) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
  console.log(
    `${ROUNDS} rounds of ${perRound} records per case; medians (range over rounds); dead letters: ${dead}\n`,
  );
  console.log('| records | raw JSON-RPC (rec/s) | Fieldsync engine (rec/s) | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const [what, raw, engine] of [
    ['parties (name, address, e-mail)', 'rawParties', 'parties'],
    ['draft stock moves, 1 per event', 'rawMoves', 'moves'],
    ['draft stock moves, 4 per event (work-order parts)', 'rawMoves', 'workOrders'],
  ] as const) {
    if (samples[engine]?.length === 0) continue;
    const r = median(samples[raw]);
    const e = median(samples[engine]);
    console.log(
      `| ${what} | ${fmt(r)} (${range(samples[raw])}) | ${fmt(e)} (${range(samples[engine])}) | ${fmt((e / r) * 100, 0)}% |`,
    );
  }
  if (samples.rawTagged?.length) {
    const r = median(samples.rawMoves);
    const t = median(samples.rawTagged);
    const e = median(samples.moves);
    console.log(
      `| for context: draft stock moves, 1 per event, idempotent raw (create + one batch tag per call) | ${fmt(t)} (${range(samples.rawTagged)}) = ${fmt((t / r) * 100, 0)}% of raw | ${fmt(e)} | ${fmt((e / t) * 100, 0)}% of idempotent raw |`,
    );
  }
  if (doneMoves) {
    console.log(
      `| stock moves done (create + tag + do, 400), for reference | — | ${fmt(doneMoves.delivered / doneMoves.seconds)} | — |`,
    );
  }
  console.log(`\nWhere the time goes, all rounds (trytond CPU from /proc):\n\n${calls.report(BATCH)}`);
  if (CASES.has('tagcost')) {
    const ms = (xs: number[]) => fmt(median(xs) * 1000, 0);
    const cap = median(tagCost.create) / (median(tagCost.create) + median(tagCost.mark));
    console.log(
      `\ntag cost per ${BATCH} draft moves (medians of 5): create ${ms(tagCost.create)} ms, one batch mark ` +
        `${ms(tagCost.mark)} ms (a tag per op, as before batch marks: ${ms(tagCost.perOp)} ms): the Tryton ` +
        `side alone caps one move per event at ${fmt(cap * 100, 0)}% of the raw create on a first attempt; ` +
        `a call that finds nothing costs ${ms(tagCost.empty)} ms; a retry's look-up of ${BATCH} tags ` +
        `(${attachments} attachments in the database at the last one) ${ms(tagCost.retrySearch)} ms`,
    );
  }

  // 3. Initial pull.
  if (CASES.has('pull')) {
    const seedStarted = performance.now();
    await seedParties(client, PULL_PARTIES);
    await seedProducts(tryton, client, PULL_PRODUCTS);
    console.log(
      `\nseeded to ${PULL_PARTIES} parties and ${PULL_PRODUCTS} products in ${fmt((performance.now() - seedStarted) / 1000)} s`,
    );
    console.log('\n| initial pull | records | seconds | records/s | peak RSS (MiB) |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [entity, mode] of [
      ['party', 'readAll'],
      ['product', 'readAll'],
      ['party', 'readChanges'],
    ] as const) {
      const pull = await pullAll(tryton, entity, mode);
      console.log(
        `| ${entity} (${mode}) | ${pull.records} | ${fmt(pull.seconds)} | ${fmt(pull.records / pull.seconds, 0)} | ${fmt(pull.peakMb, 0)} |`,
      );
    }
  }
} finally {
  await tryton.stop();
}

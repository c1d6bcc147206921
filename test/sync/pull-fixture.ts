import pLimit from 'p-limit';
import type { Kysely } from 'kysely';
import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp, TEST_ERP_ENTITIES, testErpConnector } from '../../src/connectors/test-erp/index.js';
import type { ConnectorSession } from '../../src/connectors/sdk/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { setSubscriptions } from '../../src/platform/outbox/index.js';
import type { InboundFlow, UpdateGuard } from '../../src/sync/engine/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import type { InboundApplierRegistry } from '../../src/sync/inbound/index.js';
import { compileMapping } from '../../src/sync/mapping/index.js';
import { PullScheduler } from '../../src/sync/pull/index.js';
import { CircuitBreaker, retryPolicySchema } from '../../src/sync/retry/index.js';
import { quietLogger } from './sync-fixture.js';

/** ERP customer → Fieldsync customer, one field per ownership kind. */
export const inboundCustomerMapping = {
  fields: {
    name: { from: 'name', owner: 'erp', required: true },
    code: { from: 'code', owner: 'erp' },
    phone: { from: 'phone', owner: 'fieldsync' },
    email: { from: 'email', owner: 'shared', rule: 'manual' },
    legalName: { from: 'legal', owner: 'shared', rule: 'erp-wins-on-conflict' },
  },
};

/** Fieldsync customer → the ERP's field names: the outbound side of `inboundCustomerMapping`, same owners. */
export const outboundCustomerMapping = {
  fields: {
    name: { from: 'customer.name', owner: 'erp', required: true },
    code: { from: 'customer.code', owner: 'erp' },
    phone: { from: 'customer.phone', owner: 'fieldsync' },
    email: { from: 'customer.email', owner: 'shared', rule: 'manual' },
    legal: { from: 'customer.legalName', owner: 'shared', rule: 'erp-wins-on-conflict' },
  },
};

export const inboundItemMapping = {
  fields: {
    sku: { from: 'code', owner: 'erp', required: true },
    name: { from: 'name', owner: 'erp', required: true },
    category: { from: 'group', owner: 'erp', transform: [{ default: { value: 'general' } }] },
    listPrice: { from: 'price', owner: 'erp', required: true },
    description: { from: 'notes', owner: 'fieldsync' },
  },
};

export const rand = () => Math.random().toString(36).slice(2, 8);

/** A clock for the test ERP: strictly increasing by 1 ms per call unless frozen at a chosen instant. */
export class ErpClock {
  #at = Date.now();
  #frozen: string | undefined;
  readonly now = (): string => {
    if (this.#frozen !== undefined) return this.#frozen;
    this.#at += 1;
    return new Date(this.#at).toISOString();
  };
  freeze(iso: string): void {
    this.#frozen = iso;
  }
  thaw(): void {
    this.#frozen = undefined;
  }
}

export interface PullFixture {
  erp: TestErp;
  clock: ErpClock;
  session: ConnectorSession;
  flow: InboundFlow;
  scheduler: PullScheduler;
  connector: string;
  close(): Promise<void>;
}

export async function pullFixture(
  db: Kysely<Database>,
  options: {
    /** The Fieldsync entity (its applier); `mapping` is required for others than customer and item. */
    entity?: string;
    /** The ERP entity pulled (default: `entity`); the test ERP is started with it when it is not one of its own. */
    sourceEntity?: string;
    mapping?: unknown;
    pageSize?: number;
    overlapSeconds?: number;
    appliers?: InboundApplierRegistry;
    owner?: string;
    erp?: TestErp;
    clock?: ErpClock;
    operation?: 'upsert' | 'create' | 'update';
  } = {},
): Promise<PullFixture> {
  const clock = options.clock ?? new ErpClock();
  const sourceEntity = options.sourceEntity ?? options.entity ?? 'customer';
  const entities: readonly string[] = TEST_ERP_ENTITIES;
  const erp =
    options.erp ??
    (await startTestErp({
      now: clock.now,
      ...(!entities.includes(sourceEntity) && { entities: [...TEST_ERP_ENTITIES, sourceEntity] }),
    }));
  const session = await testErpConnector.connect({
    baseUrl: erp.url,
    token: erp.token,
    timeoutMs: 5000,
    referenceLookup: false,
  });
  const entity = options.entity ?? 'customer';
  const compiled = compileMapping(
    options.mapping ?? (entity === 'customer' ? inboundCustomerMapping : inboundItemMapping),
  );
  if (!compiled.ok) throw new Error(`bad test mapping: ${JSON.stringify(compiled.issues)}`);
  const connector = `erp-${rand()}`;
  const limiter = pLimit(4);
  const flow: InboundFlow = {
    name: `${entity}s-in-${rand()}`,
    connectorName: connector,
    session,
    sourceEntity,
    everySeconds: 1,
    overlapSeconds: options.overlapSeconds ?? 60,
    pageSize: options.pageSize ?? 5,
    entity,
    operation: options.operation ?? 'upsert',
    mapping: compiled.mapping,
    retry: retryPolicySchema.parse({ maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 'none' }),
    breaker: new CircuitBreaker(),
    limit: (task) => limiter(task),
  };
  const scheduler = new PullScheduler({
    db,
    logger: quietLogger(),
    flows: [flow],
    appliers: options.appliers,
    owner: options.owner,
  });
  return {
    erp,
    clock,
    session,
    flow,
    scheduler,
    connector,
    close: async () => {
      await scheduler.stop();
      await session.close();
      if (!options.erp) await erp.close();
    },
  };
}

/** An outbound customer flow to the same connector (shares the crosswalk), with a dispatcher, not started. */
export async function outboundTo(
  db: Kysely<Database>,
  fixture: PullFixture,
  mapping: unknown,
  options: { guard?: UpdateGuard } = {},
) {
  const flow = buildOutboundFlow({
    ...options,
    name: `customers-out-${rand()}`,
    eventTypes: ['customer.*'],
    connectorName: fixture.connector,
    session: fixture.session,
    entity: 'customer',
    operation: 'upsert',
    mapping,
    batchSize: 20,
    concurrency: 1,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, jitter: 'none' },
  });
  await setSubscriptions(db, { [flow.subscriber]: flow.eventTypes });
  const dispatcher = new Dispatcher({ db, flows: [flow], logger: quietLogger(), pollMs: 20, leaseMs: 5000 });
  return { flow, dispatcher };
}

export async function localIdOf(
  db: Kysely<Database>,
  connector: string,
  externalId: string,
): Promise<string> {
  const row = await db
    .selectFrom('sync_crosswalk')
    .select('local_id')
    .where('connector', '=', connector)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.local_id;
}

export async function eventsOf(db: Kysely<Database>, subject: string) {
  const rows = await db
    .selectFrom('outbox_events')
    .select(['type', 'data', 'sequence'])
    .where('subject', '=', subject)
    .orderBy('sequence')
    .execute();
  return rows.map((r) => ({
    type: r.type,
    sequence: Number(r.sequence),
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}

/** One ERP customer seeded with a value for every field of the test mappings, pulled in; its ids. */
export async function pullOneCustomer(
  db: Kysely<Database>,
  f: PullFixture,
  data: Record<string, unknown> = {},
): Promise<{ externalId: string; localId: string }> {
  const p = rand();
  const [record] = f.erp.store.seed('customer', [
    {
      data: {
        name: `Con ${p}`,
        code: `CF-${p}`,
        phone: '+43 1 100',
        email: 'base@example.com',
        legal: 'Base GmbH',
        ...data,
      },
    },
  ]);
  if (!record) throw new Error('seed');
  const result = await f.scheduler.runOnce(f.flow.name);
  if (result.created !== 1)
    throw new Error(`expected the pull to create 1 customer: ${JSON.stringify(result)}`);
  return { externalId: record.id, localId: await localIdOf(db, f.connector, record.id) };
}

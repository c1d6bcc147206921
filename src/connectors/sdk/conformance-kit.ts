import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Connector,
  ConnectorRecord,
  ConnectorSession,
  Cursor,
  WriteOp,
  WriteResult,
} from './connector.js';
import { entityManifest } from './connector.js';
import { ConnectorErrorClass, isConnectorError } from './connector-error.js';
import type { ConnectorError } from './connector-error.js';
import { compareCursor, cursorOf, recordVersionKey, withOverlap } from './cursor.js';

/**
 * The acceptance suite every connector passes (docs/connectors/sdk.md). Import it from test files only:
 * it registers vitest blocks, so it is not re-exported from the SDK's index.
 */

/** A record the kit asks the connector's test to put straight into the vendor system. */
export interface SeedRecord {
  /** Distinct per seeded record within one run; use it to make names unique. */
  index: number;
  /** Vendors that let a test choose the timestamp use it; others stamp one write with one time. */
  modifiedAt: string;
}

export interface ErrorCaseContext<E extends string, C> {
  session: ConnectorSession<E>;
  connector: Connector<E, C>;
  config: C;
}

export type ErrorCase<E extends string, C> =
  | {
      /** Puts the vendor in the failing state (e.g. a fault mode); runs before `act`. */
      arrange?: () => Promise<void> | void;
      /** The call that must fail; default `readChanges(entity, null, 1)`. A thrown error or a per-op `ok: false` counts. */
      act?: (ctx: ErrorCaseContext<E, C>) => Promise<unknown>;
      cleanup?: () => Promise<void> | void;
    }
  | { skip: string };

export interface BadConnection<C> {
  name: string;
  config: () => C | Promise<C>;
  expect: ConnectorErrorClass;
}

export interface ConformanceOptions<E extends string, C> {
  /** The manifest name the connector must declare. */
  name: string;
  /** Suite title suffix when one connector runs the kit in several modes. */
  label?: string;
  makeConnector: () => Connector<E, C>;
  /** Thunks, because servers usually start in the test file's `beforeAll`. */
  goodConfig: () => C | Promise<C>;
  badConnections: readonly [BadConnection<C>, ...BadConnection<C>[]];
  entity: E;
  /** Creates the records directly in the vendor system and returns their external ids, in order. */
  seed: (records: readonly SeedRecord[]) => Promise<readonly string[]>;
  /** A valid `create` for the entity (no idempotency key: the kit adds one). */
  sampleWrite: (index: number) => Omit<WriteOp, 'idempotencyKey'>;
  /** Every class must be triggered or skipped with a written reason. */
  triggerError: { readonly [K in ConnectorErrorClass]: ErrorCase<E, C> };
  /** Page size of the incremental case (default 5, small so page boundaries split timestamp groups). */
  pageSize?: number;
}

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function collect(iterable: AsyncIterable<ConnectorRecord>, max: number): Promise<ConnectorRecord[]> {
  const out: ConnectorRecord[] = [];
  for await (const record of iterable) {
    out.push(record);
    if (out.length > max) throw new Error(`readAll yielded more than ${max} records: runaway iteration`);
  }
  return out;
}

/** Reads every page from `cursor`, bounded so a connector that never ends its paging fails loudly. */
async function readPages<E extends string>(
  session: ConnectorSession<E>,
  entity: E,
  cursor: Cursor | null,
  limit: number,
  maxPages: number,
): Promise<{ pages: ConnectorRecord[][]; cursor: Cursor | null }> {
  const pages: ConnectorRecord[][] = [];
  let position = cursor;
  for (let n = 0; n < maxPages; n += 1) {
    const page = await session.readChanges(entity, position, limit);
    expect(page.records.length).toBeLessThanOrEqual(limit);
    pages.push(page.records);
    position = page.nextCursor;
    if (!page.hasMore) return { pages, cursor: position };
    expect(page.records.length, 'hasMore with an empty page would loop forever').toBeGreaterThan(0);
  }
  throw new Error(`paging did not finish within ${maxPages} pages`);
}

function failureOf(outcome: { thrown: unknown } | { value: unknown }): ConnectorError {
  if ('thrown' in outcome) {
    if (!isConnectorError(outcome.thrown))
      throw new Error(`expected a ConnectorError, got ${String(outcome.thrown)}`);
    return outcome.thrown;
  }
  const failed = Array.isArray(outcome.value)
    ? (outcome.value as WriteResult[]).find((r) => typeof r === 'object' && r !== null && r.ok === false)
    : undefined;
  if (failed === undefined || failed.ok) throw new Error('expected the call to fail, but it succeeded');
  return failed.error;
}

export function runConnectorConformance<E extends string, C>(options: ConformanceOptions<E, C>): void {
  const { entity } = options;
  const pageSize = options.pageSize ?? 5;
  const runId = randomUUID().slice(0, 8);
  let keySeq = 0;
  const nextKey = (): string => `conformance-${options.name}-${runId}-${(keySeq += 1)}`;
  let seedSeq = 0;
  const seedAt = (modifiedAt: string): SeedRecord => ({ index: (seedSeq += 1), modifiedAt });

  describe(`connector conformance: ${options.label ?? options.name}`, () => {
    let connector: Connector<E, C>;
    let config: C;
    let session: ConnectorSession<E>;

    beforeAll(async () => {
      connector = options.makeConnector();
      config = await options.goodConfig();
      session = await connector.connect(config);
    });
    afterAll(async () => {
      await session?.close();
    });

    const countAll = async (): Promise<number> => (await collect(session.readAll(entity), 1_000_000)).length;

    it('manifest declares the entity with readChanges, readAll and writeBatch', () => {
      const m = connector.manifest;
      expect(m.name).toBe(options.name);
      expect(m.maxBatchSize).toBeGreaterThanOrEqual(1);
      expect(m.maxConcurrency).toBeGreaterThanOrEqual(1);
      const e = entityManifest(m, entity);
      expect(e?.operations).toEqual(expect.arrayContaining(['readChanges', 'readAll', 'writeBatch']));
      expect(e?.writeOps).toContain(options.sampleWrite(0).op);
    });

    it('config schema accepts the good config and rejects garbage', () => {
      expect(connector.configSchema.safeParse(config).success).toBe(true);
      expect(connector.configSchema.safeParse(42).success).toBe(false);
    });

    it('good connection: check() resolves', async () => {
      await expect(session.check()).resolves.toBeTypeOf('object');
    });

    for (const bad of options.badConnections) {
      it(`bad connection (${bad.name}) is classified ${bad.expect}`, async () => {
        let failure: unknown;
        try {
          const badSession = await connector.connect(await bad.config());
          try {
            await badSession.check();
          } finally {
            await badSession.close();
          }
        } catch (error) {
          failure = error;
        }
        expect(isConnectorError(failure), `expected a ConnectorError, got ${String(failure)}`).toBe(true);
        expect((failure as ConnectorError).errorClass).toBe(bad.expect);
      });
    }

    it('read: seeded records come back with externalId, ISO modifiedAt and data, via readChanges and readAll', async () => {
      const now = new Date().toISOString();
      const ids = await options.seed([seedAt(now), seedAt(now), seedAt(now)]);
      expect(ids).toHaveLength(3);
      const total = await countAll();
      const { pages } = await readPages(
        session,
        entity,
        null,
        Math.min(connector.manifest.maxBatchSize, 100),
        Math.ceil(total / 100) + 3,
      );
      const byId = new Map(pages.flat().map((r) => [r.externalId, r]));
      for (const id of ids) {
        const record = byId.get(id);
        expect(record, `seeded ${id} missing from readChanges`).toBeDefined();
        expect(record?.modifiedAt).toMatch(isoUtc);
        expect(record?.data).toBeTypeOf('object');
      }
      const all = new Set((await collect(session.readAll(entity), total + 1000)).map((r) => r.externalId));
      for (const id of ids) expect(all.has(id), `seeded ${id} missing from readAll`).toBe(true);
    });

    it('incremental read across page boundaries with equal modifiedAt: no skips, no repeats', async () => {
      const base = Date.now() - 3_600_000;
      const stamp = (s: number): string => new Date(Math.floor(base / 1000) * 1000 + s * 1000).toISOString();
      const seeds = [0, 1, 2].flatMap((group) => Array.from({ length: 7 }, () => seedAt(stamp(group))));
      const ids = await options.seed(seeds);
      expect(ids).toHaveLength(seeds.length);
      const total = await countAll();
      const { pages, cursor } = await readPages(
        session,
        entity,
        null,
        pageSize,
        Math.ceil(total / pageSize) + 5,
      );
      const records = pages.flat();

      const versions = records.map(recordVersionKey);
      expect(new Set(versions).size, 'a strict keyset never repeats a record').toBe(versions.length);
      for (let i = 1; i < records.length; i += 1) {
        expect(
          compareCursor(cursorOf(records[i - 1] as ConnectorRecord), cursorOf(records[i] as ConnectorRecord)),
        ).toBeLessThan(0);
      }
      const seen = records.map((r) => r.externalId);
      for (const id of ids)
        expect(
          seen.filter((s) => s === id),
          `seeded ${id}`,
        ).toHaveLength(1);
      const splitsGroup = pages.some((page, i) => {
        const next = pages[i + 1]?.[0];
        const last = page[page.length - 1];
        return next !== undefined && last !== undefined && next.modifiedAt === last.modifiedAt;
      });
      expect(
        splitsGroup,
        'no page boundary fell between equal timestamps: the seed did not test the case',
      ).toBe(true);

      const after = await session.readChanges(entity, cursor, pageSize);
      expect(after.records, 'nothing is new after the last cursor').toEqual([]);

      const seenVersions = new Set(versions);
      const overlap = await readPages(
        session,
        entity,
        withOverlap(cursor, 7200),
        pageSize,
        Math.ceil(total / pageSize) + 5,
      );
      expect(
        overlap.pages.flat().filter((r) => !seenVersions.has(recordVersionKey(r))),
        'overlap re-read dedupes to nothing',
      ).toEqual([]);

      const [lateId] = await options.seed([seedAt(new Date().toISOString())]);
      const late = await readPages(session, entity, cursor, pageSize, 5);
      expect(late.pages.flat().map((r) => r.externalId)).toEqual([lateId]);
    });

    it('write: a batch of creates succeeds per op, in order, with distinct external ids', async () => {
      const before = await countAll();
      const ops: WriteOp[] = [1, 2, 3].map((i) => ({ ...options.sampleWrite(i), idempotencyKey: nextKey() }));
      const results = await session.writeBatch(entity, ops);
      expect(results.map((r) => r.idempotencyKey)).toEqual(ops.map((o) => o.idempotencyKey));
      const failures = results.flatMap((r) => (r.ok ? [] : [`${r.error.errorClass}: ${r.error.message}`]));
      expect(failures).toEqual([]);
      const ids = results.map((r) => (r.ok ? r.externalId : undefined));
      for (const id of ids) expect(id).toBeTypeOf('string');
      expect(new Set(ids).size).toBe(3);
      const all = new Set((await collect(session.readAll(entity), before + 1000)).map((r) => r.externalId));
      for (const id of ids) expect(all.has(id as string), `written ${id} missing from readAll`).toBe(true);
      expect(all.size).toBe(before + 3);
    });

    it('idempotent re-write: the same key sent twice has one effect', async () => {
      const before = await countAll();
      const op: WriteOp = { ...options.sampleWrite(99), idempotencyKey: nextKey() };
      const [first] = await session.writeBatch(entity, [op]);
      const [second] = await session.writeBatch(entity, [op]);
      expect(first?.ok, 'first write').toBe(true);
      expect(second?.ok, 'second write').toBe(true);
      if (first?.ok && second?.ok) expect(second.externalId).toBe(first.externalId);
      expect(await countAll()).toBe(before + 1);
    });

    it('abandoned write: once the signal has aborted, the call fails transient and nothing is written', async () => {
      const before = await countAll();
      const controller = new AbortController();
      controller.abort(new Error('the caller gave up'));
      const op: WriteOp = { ...options.sampleWrite(77), idempotencyKey: nextKey() };
      const outcome = await session.writeBatch(entity, [op], { signal: controller.signal }).then(
        (value) => ({ value }),
        (thrown: unknown) => ({ thrown }),
      );
      expect(failureOf(outcome).errorClass).toBe('transient');
      expect(await countAll()).toBe(before);
    });

    it('guarded update: readRecords shows the current version; a write on an older version is refused conflict and changes nothing', async (ctx) => {
      const declared = entityManifest(options.makeConnector().manifest, entity);
      if (!declared?.guardedUpdates) {
        ctx.skip();
        return;
      }
      expect(session.readRecords, 'guardedUpdates needs readRecords').toBeTypeOf('function');
      const read = (ids: string[]) =>
        (session.readRecords as NonNullable<typeof session.readRecords>)(entity, ids);
      const create = options.sampleWrite(55);
      const [created] = await session.writeBatch(entity, [{ ...create, idempotencyKey: nextKey() }]);
      if (!created?.ok || created.externalId === undefined) throw new Error('the sample create failed');
      const id = created.externalId;
      const [first] = await read([id, '999999999']);
      expect(first?.externalId).toBe(id);
      expect(first?.modifiedAt).toMatch(isoUtc);
      const listed = (await collect(session.readAll(entity), 100_000)).find((r) => r.externalId === id);
      expect(first).toEqual(listed);

      const update = (version: string, index: number): WriteOp => ({
        ...options.sampleWrite(index),
        op: 'update',
        externalId: id,
        idempotencyKey: nextKey(),
        ifUnmodifiedSince: version,
      });
      const [fresh] = await session.writeBatch(entity, [update(first?.modifiedAt as string, 56)]);
      expect(fresh?.ok, fresh?.ok === false ? fresh.error.message : 'fresh version').toBe(true);
      const [second] = await read([id]);
      expect(second?.data).not.toEqual(first?.data);

      const [stale] = await session.writeBatch(entity, [update(first?.modifiedAt as string, 57)]);
      expect(stale?.ok).toBe(false);
      if (stale && !stale.ok) expect(stale.error.errorClass).toBe('conflict');
      expect(await read([id])).toEqual([second]);
    });

    describe('error classification', () => {
      for (const errorClass of Object.values(ConnectorErrorClass)) {
        const errorCase = options.triggerError[errorClass];
        if ('skip' in errorCase) {
          if (errorCase.skip.trim().length < 10)
            throw new Error(`${options.name}: skipping ${errorClass} needs a written reason`);
          it.skip(`${errorClass} — skipped: ${errorCase.skip}`, () => undefined);
          continue;
        }
        it(`${errorClass} is classified ${errorClass}`, async () => {
          await errorCase.arrange?.();
          try {
            const act =
              errorCase.act ?? ((ctx: ErrorCaseContext<E, C>) => ctx.session.readChanges(entity, null, 1));
            let outcome: { thrown: unknown } | { value: unknown };
            try {
              outcome = { value: await act({ session, connector, config }) };
            } catch (error) {
              outcome = { thrown: error };
            }
            const failure = failureOf(outcome);
            expect(failure.errorClass, failure.message).toBe(errorClass);
            if (errorClass === 'rate_limited') expect(failure.retryAfterMs).toBeGreaterThan(0);
          } finally {
            await errorCase.cleanup?.();
          }
        });
      }
    });
  });
}

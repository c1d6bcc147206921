import { z } from 'zod';
import type {
  ChangePage,
  Connector,
  ConnectorContext,
  ConnectorManifest,
  ConnectorRecord,
  ConnectorSession,
  Cursor,
  EntityManifest,
  WriteOp,
  WriteOptions,
  WriteResult,
} from '../sdk/connector.js';
import { ConnectorError, isConnectorError } from '../sdk/connector-error.js';
import { classifyNetworkError, connectorErrorFromHttp } from '../sdk/error-classes.js';
import { TEST_ERP_ENTITIES, TEST_ERP_VERSION } from './test-erp-api.js';
import type { TestErpEntity, WireOpResult, WireRecord } from './test-erp-api.js';

export const testErpConfigSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    token: z.string().min(1),
    timeoutMs: z.number().int().min(1).max(300_000).default(10_000),
    /** Emulates ERPs without native keys (Tryton): search `reference` before each create. */
    referenceLookup: z.boolean().default(false),
  })
  .strict();
export type TestErpConfig = z.output<typeof testErpConfigSchema>;

const entityManifest: EntityManifest = {
  operations: ['readChanges', 'readAll', 'writeBatch'],
  writeOps: ['create', 'update', 'upsert', 'delete'],
  keyFields: ['id'],
  guardedUpdates: true,
};

const manifest: ConnectorManifest<TestErpEntity> = {
  name: 'test-erp',
  version: '1.0.0',
  entities: Object.fromEntries(TEST_ERP_ENTITIES.map((e) => [e, entityManifest])) as Record<
    TestErpEntity,
    EntityManifest
  >,
  capabilities: { incrementalRead: true, nativeIdempotency: true, referenceLookup: true },
  maxBatchSize: 200,
  maxConcurrency: 8,
};

const toRecord = (w: WireRecord): ConnectorRecord => ({
  externalId: w.id,
  modifiedAt: w.modifiedAt,
  data: w.data,
});

/** The vendor's body codes refine the status-based class where the status alone is ambiguous. */
function errorFromBody(status: number, headers: Headers, body: unknown): ConnectorError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  if (code === 'cursor_invalid')
    return new ConnectorError('cursor_invalid', message, { vendorDetail: { status, code } });
  return connectorErrorFromHttp({ status, headers, message, vendorDetail: { status, code } });
}

function opError(result: WireOpResult): ConnectorError {
  const code = result.error?.code;
  const message = result.error?.message ?? `HTTP ${result.status}`;
  return errorFromBody(result.status, new Headers(), { error: { code, message } });
}

class TestErpSession implements ConnectorSession<TestErpEntity> {
  readonly #config: TestErpConfig;
  readonly #ctx: ConnectorContext;

  constructor(config: TestErpConfig, ctx: ConnectorContext) {
    this.#config = config;
    this.#ctx = ctx;
  }

  /** `callSignal`: the signal of the writeBatch this request serves, if its caller gave one. */
  async #request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    callSignal?: AbortSignal,
  ): Promise<T> {
    // A caller that gave up gets no further request sent for its call, not even a look-up.
    if (callSignal?.aborted)
      throw new ConnectorError('transient', `call abandoned by the caller before ${method} ${path}`, {
        cause: callSignal.reason,
      });
    const signals = [AbortSignal.timeout(this.#config.timeoutMs), this.#ctx.signal, callSignal].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    let response: Response;
    let parsed: unknown;
    try {
      response = await fetch(new URL(path, this.#config.baseUrl), {
        method,
        signal,
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${this.#config.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      // Truncated or garbled bodies arrive as SyntaxError: the answer was lost in transit.
      throw error instanceof SyntaxError
        ? new ConnectorError('transient', 'unreadable response body', { cause: error })
        : classifyNetworkError(error);
    }
    if (!response.ok) throw errorFromBody(response.status, response.headers, parsed);
    return parsed as T;
  }

  async check(): Promise<{ serverVersion?: string }> {
    const body = await this.#request<{ version?: string }>('GET', '/api/health');
    return { serverVersion: body.version ?? TEST_ERP_VERSION };
  }

  async readChanges(entity: TestErpEntity, cursor: Cursor | null, limit: number): Promise<ChangePage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > manifest.maxBatchSize) {
      throw new ConnectorError('validation', `limit must be an integer within 1..${manifest.maxBatchSize}`);
    }
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== null) {
      query.set('afterModifiedAt', cursor.modifiedAt);
      query.set('afterId', cursor.id);
    }
    const body = await this.#request<{ records: WireRecord[]; hasMore: boolean }>(
      'GET',
      `/api/entities/${encodeURIComponent(entity)}?${query}`,
    );
    const records = body.records.map(toRecord);
    const last = records[records.length - 1];
    return {
      records,
      nextCursor: last === undefined ? cursor : { modifiedAt: last.modifiedAt, id: last.externalId },
      hasMore: body.hasMore,
    };
  }

  async *readAll(entity: TestErpEntity): AsyncIterable<ConnectorRecord> {
    let cursor: Cursor | null = null;
    for (;;) {
      const page: ChangePage = await this.readChanges(entity, cursor, manifest.maxBatchSize);
      yield* page.records;
      if (!page.hasMore || page.records.length === 0) return;
      cursor = page.nextCursor;
    }
  }

  async readRecords(
    entity: TestErpEntity,
    externalIds: readonly string[],
    options?: WriteOptions,
  ): Promise<ConnectorRecord[]> {
    const records: ConnectorRecord[] = [];
    for (const id of new Set(externalIds)) {
      try {
        const wire = await this.#request<WireRecord>(
          'GET',
          `/api/entities/${encodeURIComponent(entity)}/${encodeURIComponent(id)}`,
          undefined,
          options?.signal,
        );
        records.push(toRecord(wire));
      } catch (error) {
        if (!(isConnectorError(error) && error.errorClass === 'not_found')) throw error;
      }
    }
    return records;
  }

  async writeBatch(
    entity: TestErpEntity,
    ops: readonly WriteOp[],
    options?: WriteOptions,
  ): Promise<WriteResult[]> {
    const signal = options?.signal;
    if (ops.length > manifest.maxBatchSize) {
      throw new ConnectorError(
        'validation',
        `batch of ${ops.length} exceeds maxBatchSize ${manifest.maxBatchSize}`,
      );
    }
    const results = new Array<WriteResult | undefined>(ops.length);
    if (this.#config.referenceLookup) await this.#lookUpBeforeCreate(entity, ops, results, signal);
    const pending = ops.flatMap((op, index) => (results[index] === undefined ? [{ op, index }] : []));
    if (pending.length > 0) {
      const wire = pending.map(({ op }) => ({
        // In reference mode the vendor is treated as keyless, like Tryton: only the reference protects.
        idempotencyKey: this.#config.referenceLookup ? undefined : op.idempotencyKey,
        op: op.op,
        id: op.externalId,
        reference:
          this.#config.referenceLookup && op.op === 'create'
            ? (op.reference ?? op.idempotencyKey)
            : op.reference,
        data: op.payload,
        ...(op.ifUnmodifiedSince !== undefined && { ifUnmodifiedSince: op.ifUnmodifiedSince }),
      }));
      const body = await this.#request<{ results: WireOpResult[] }>(
        'POST',
        `/api/entities/${encodeURIComponent(entity)}/batch`,
        { ops: wire },
        signal,
      );
      pending.forEach(({ op, index }, i) => {
        results[index] = this.#toResult(op, body.results[i]);
      });
    }
    return results.map(
      (r, i) =>
        r ?? {
          idempotencyKey: (ops[i] as WriteOp).idempotencyKey,
          ok: false,
          error: new ConnectorError('transient', 'no result'),
        },
    );
  }

  async #lookUpBeforeCreate(
    entity: TestErpEntity,
    ops: readonly WriteOp[],
    results: (WriteResult | undefined)[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (const [index, op] of ops.entries()) {
      if (op.op !== 'create') continue;
      const reference = op.reference ?? op.idempotencyKey;
      const query = new URLSearchParams({ reference });
      const body = await this.#request<{ records: WireRecord[] }>(
        'GET',
        `/api/entities/${encodeURIComponent(entity)}?${query}`,
        undefined,
        signal,
      );
      const found = body.records[0];
      if (found !== undefined)
        results[index] = {
          idempotencyKey: op.idempotencyKey,
          ok: true,
          externalId: found.id,
          replayed: true,
        };
    }
  }

  #toResult(op: WriteOp, result: WireOpResult | undefined): WriteResult {
    if (result === undefined)
      return {
        idempotencyKey: op.idempotencyKey,
        ok: false,
        error: new ConnectorError('transient', 'vendor returned no result for this op'),
      };
    if (result.ok) {
      const ok: WriteResult = { idempotencyKey: op.idempotencyKey, ok: true };
      if (result.id !== undefined) ok.externalId = result.id;
      if (result.replayed === true) ok.replayed = true;
      return ok;
    }
    // A create that lost the race with its own earlier attempt: the record exists, which is success.
    if (
      result.error?.code === 'duplicate_reference' &&
      this.#config.referenceLookup &&
      result.error.details?.id !== undefined
    ) {
      return {
        idempotencyKey: op.idempotencyKey,
        ok: true,
        externalId: result.error.details.id,
        replayed: true,
      };
    }
    return { idempotencyKey: op.idempotencyKey, ok: false, error: opError(result) };
  }

  async close(): Promise<void> {
    // Stateless over HTTP: fetch's pooled sockets close on their own.
  }
}

export const testErpConnector: Connector<TestErpEntity, TestErpConfig> = {
  manifest,
  configSchema: testErpConfigSchema,
  async connect(config, ctx = {}) {
    const parsed = testErpConfigSchema.safeParse(config);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new ConnectorError('validation', `invalid test-erp config: ${detail}`);
    }
    return new TestErpSession(parsed.data, ctx);
  },
};

import type {
  ChangePage,
  ConnectionInfo,
  ConnectorContext,
  ConnectorRecord,
  ConnectorSession,
  Cursor,
  WriteOp,
  WriteOptions,
  WriteResult,
} from '../sdk/connector.js';
import { ConnectorError } from '../sdk/connector-error.js';
import type { TrytonConnectorConfig } from './config.js';
import type { TrytonEntity } from './manifest.js';
import { TRYTON_MAX_BATCH, trytonManifest } from './manifest.js';
import { routes } from './router.js';
import type { EntityRoute } from './router.js';
import { toConnectorError, withDefaultRetryAfter } from './runtime/errors.js';
import { readAllWith, readByIdsWith, readChangesWith } from './runtime/reader.js';
import { Resolver } from './runtime/resolver.js';
import type { TrytonRuntime } from './runtime/runtime.js';
import { TrytonClient, withCallSignal } from './transport/index.js';
// The one raw call: the transport's client always addresses a database.
import { postJsonRpc } from './transport/json-rpc.js';

/** One logged-in conversation with one Tryton database; every failure leaves as a ConnectorError. */
export class TrytonConnectorSession implements ConnectorSession<TrytonEntity> {
  readonly runtime: TrytonRuntime;

  constructor(config: TrytonConnectorConfig, ctx: ConnectorContext) {
    const client = new TrytonClient({
      url: config.url,
      database: config.database,
      login: config.login,
      password: config.password,
      timeoutMs: config.timeouts.requestMs,
      maxInFlight: config.maxInFlight,
      ...(config.company === undefined ? {} : { company: config.company }),
    });
    this.runtime = {
      client,
      config,
      resolver: new Resolver(client, config, ctx.logger),
      logger: ctx.logger,
    };
  }

  get client(): TrytonClient {
    return this.runtime.client;
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw withDefaultRetryAfter(toConnectorError(error), this.runtime.config.rateLimitRetryAfterMs);
    }
  }

  #route(entity: TrytonEntity): EntityRoute {
    const route = Object.hasOwn(routes, entity) ? routes[entity] : undefined;
    if (!route) throw new ConnectorError('validation', `tryton has no entity "${String(entity)}"`);
    return route;
  }

  check(): Promise<ConnectionInfo> {
    return this.#guard(async () => {
      // Logs in and loads the context (company required), so a bad password or company shows here.
      await this.client.context();
      // `common.server.version` is answered at the server root only, not under a database path.
      const version = await postJsonRpc({
        url: `${this.runtime.config.url.replace(/\/+$/, '')}/`,
        method: 'common.server.version',
        params: [],
        timeoutMs: this.runtime.config.timeouts.requestMs,
      });
      return version.ok && typeof version.result === 'string'
        ? { serverVersion: `trytond ${version.result}` }
        : {};
    });
  }

  readChanges(entity: TrytonEntity, cursor: Cursor | null, limit: number): Promise<ChangePage> {
    return this.#guard(async () => {
      const route = this.#route(entity);
      if (route.changes) {
        if (!Number.isInteger(limit) || limit < 1 || limit > TRYTON_MAX_BATCH)
          throw new ConnectorError('validation', `limit must be an integer within 1..${TRYTON_MAX_BATCH}`);
        return route.changes(this.runtime, cursor, limit);
      }
      if (!route.read)
        throw new ConnectorError('validation', `tryton entity "${entity}" has no incremental read`);
      return readChangesWith(this.runtime, route.read, cursor, limit, TRYTON_MAX_BATCH);
    });
  }

  async *readAll(entity: TrytonEntity): AsyncIterable<ConnectorRecord> {
    const route = await this.#guard(async () => this.#route(entity));
    const source =
      route.readAll?.(this.runtime) ?? (route.read ? readAllWith(this.runtime, route.read) : undefined);
    if (!source) throw new ConnectorError('validation', `tryton entity "${entity}" cannot be read`);
    const iterator = source[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.#guard(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  }

  readRecords(
    entity: TrytonEntity,
    externalIds: readonly string[],
    options?: WriteOptions,
  ): Promise<ConnectorRecord[]> {
    return this.#guard(async () => {
      const spec = this.#route(entity).read;
      if (!spec) throw new ConnectorError('validation', `tryton entity "${entity}" cannot be read by id`);
      return withCallSignal(options?.signal, () => readByIdsWith(this.runtime, spec, externalIds));
    });
  }

  writeBatch(entity: TrytonEntity, ops: readonly WriteOp[], options?: WriteOptions): Promise<WriteResult[]> {
    return this.#guard(async () => {
      if (ops.length > trytonManifest.maxBatchSize) {
        throw new ConnectorError(
          'validation',
          `batch of ${ops.length} exceeds maxBatchSize ${trytonManifest.maxBatchSize}`,
        );
      }
      const write = this.#route(entity).write;
      if (!write) throw new ConnectorError('validation', `tryton entity "${entity}" is read-only`);
      if (ops.length === 0) return [];
      // Every RPC of this write sees the caller's signal: once it aborts, nothing more is sent.
      const results = await withCallSignal(options?.signal, () => write(this.runtime, ops));
      return results.map((r) =>
        r.ok ? r : { ...r, error: withDefaultRetryAfter(r.error, this.runtime.config.rateLimitRetryAfterMs) },
      );
    });
  }

  async close(): Promise<void> {
    // Best effort: the session row expires on its own if the server is unreachable.
    await this.client.logout().catch(() => undefined);
  }
}

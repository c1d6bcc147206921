import type {
  ChangePage,
  ConnectionInfo,
  ConnectorRecord,
  ConnectorSession,
  Cursor,
  WriteOp,
  WriteOptions,
  WriteResult,
} from '../../connectors/sdk/index.js';
import { ConnectorError, isConnectorError } from '../../connectors/sdk/index.js';

/**
 * A session that connects on first use and reconnects after an auth failure, so a hub starts (and
 * keeps running) while its ERP is down; the failures surface as classified errors on each call,
 * where retry policy and the breaker deal with them.
 */
export class LazySession implements ConnectorSession {
  readonly #connect: () => Promise<ConnectorSession>;
  #session: Promise<ConnectorSession> | undefined;

  constructor(connect: () => Promise<ConnectorSession>) {
    this.#connect = connect;
  }

  async #get(): Promise<ConnectorSession> {
    this.#session ??= this.#connect().catch((error: unknown) => {
      this.#session = undefined;
      throw isConnectorError(error)
        ? error
        : new ConnectorError('transient', `connect failed: ${String(error)}`, { cause: error });
    });
    return this.#session;
  }

  async #call<T>(run: (session: ConnectorSession) => Promise<T>): Promise<T> {
    const session = await this.#get();
    try {
      return await run(session);
    } catch (error) {
      if (isConnectorError(error) && error.errorClass === 'auth') {
        this.#session = undefined;
        await session.close().catch(() => undefined);
      }
      throw error;
    }
  }

  check(): Promise<ConnectionInfo> {
    return this.#call((s) => s.check());
  }

  readChanges(entity: string, cursor: Cursor | null, limit: number): Promise<ChangePage> {
    return this.#call((s) => s.readChanges(entity, cursor, limit));
  }

  async *readAll(entity: string): AsyncIterable<ConnectorRecord> {
    const session = await this.#get();
    yield* session.readAll(entity);
  }

  // The options carry the caller's abort signal: dropping them would let an abandoned call write on.
  writeBatch(entity: string, ops: readonly WriteOp[], options?: WriteOptions): Promise<WriteResult[]> {
    return this.#call((s) => s.writeBatch(entity, ops, options));
  }

  readRecords(
    entity: string,
    externalIds: readonly string[],
    options?: WriteOptions,
  ): Promise<ConnectorRecord[]> {
    return this.#call((s) => {
      if (!s.readRecords)
        throw new ConnectorError('validation', `this connector cannot read ${entity} records by id`);
      return s.readRecords(entity, externalIds, options);
    });
  }

  async close(): Promise<void> {
    const pending = this.#session;
    this.#session = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close();
  }
}

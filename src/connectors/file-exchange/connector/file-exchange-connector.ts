import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type {
  ChangePage,
  ConnectionInfo,
  Connector,
  ConnectorManifest,
  ConnectorRecord,
  ConnectorSession,
  Cursor,
  EntityManifest,
  WriteOp,
  WriteOptions,
  WriteResult,
} from '../../sdk/connector.js';
import { ConnectorError } from '../../sdk/connector-error.js';
import {
  exchangeFoldersOf,
  fileExchangeConfigSchema,
  type ExchangeFolders,
  type FileExchangeConfig,
} from './config.js';
import { classifyFileError } from './io-errors.js';
import { readAllBack, readChangesBack } from './read-back.js';
import { acquireLedger, type LedgerLease } from './shared-ledgers.js';
import { settleUnit } from './unit-recovery.js';
import { writeBatch } from './write-batch.js';

export const FILE_EXCHANGE_VERSION = 'file-exchange/1';

/** The four outbound entities of the issue, plus any other name (its files are named after it). */
export const fileExchangeEntities = [
  'stock_movement',
  'billing_document',
  'asset_event',
  'maintenance_cost',
] as const;

const entity: EntityManifest = {
  // Reads give back what was written (reconciliation, tests); the ERP consumes the files on its side.
  operations: ['readChanges', 'readAll', 'writeBatch'],
  writeOps: ['create', 'update', 'upsert'],
  keyFields: ['file', 'line'],
};

const manifest: ConnectorManifest = {
  name: 'file-exchange',
  version: '1.0.0',
  entities: { ...Object.fromEntries(fileExchangeEntities.map((e) => [e, entity])), '*': entity },
  // The ledger answers a re-sent key with the file it went into: idempotency is ours, not the folder's.
  capabilities: { incrementalRead: true, nativeIdempotency: true, referenceLookup: false },
  maxBatchSize: 1000,
  maxConcurrency: 4,
};

const DAY_MS = 86_400_000;

async function assertFolder(folder: string, what: string, writable: boolean): Promise<void> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) throw new ConnectorError('validation', `${what} ${folder} is not a folder`);
    if (writable) await access(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw classifyFileError(error, `${what} ${folder}`);
  }
}

class FileExchangeSession implements ConnectorSession {
  readonly #config: FileExchangeConfig;
  readonly #folders: ExchangeFolders;
  readonly #clock: () => Date;
  #lease: Promise<LedgerLease> | undefined;
  #closed = false;

  constructor(config: FileExchangeConfig, clock: () => Date) {
    this.#config = config;
    this.#folders = exchangeFoldersOf(config);
    this.#clock = clock;
  }

  async check(): Promise<ConnectionInfo> {
    await assertFolder(this.#folders.root, 'exchange root', true);
    await assertFolder(this.#folders.outbound, 'outbound folder', true);
    return { serverVersion: FILE_EXCHANGE_VERSION };
  }

  readChanges(entityName: string, cursor: Cursor | null, limit: number): Promise<ChangePage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > manifest.maxBatchSize) {
      return Promise.reject(
        new ConnectorError('validation', `limit must be an integer within 1..${manifest.maxBatchSize}`),
      );
    }
    return readChangesBack(this.#config, this.#folders, entityName, cursor, limit);
  }

  readAll(entityName: string): AsyncIterable<ConnectorRecord> {
    return readAllBack(this.#config, this.#folders, entityName);
  }

  async writeBatch(
    entityName: string,
    ops: readonly WriteOp[],
    options?: WriteOptions,
  ): Promise<WriteResult[]> {
    if (ops.length > manifest.maxBatchSize) {
      throw new ConnectorError(
        'validation',
        `batch of ${ops.length} exceeds maxBatchSize ${manifest.maxBatchSize}`,
      );
    }
    if (ops.length === 0) return [];
    const { ledger } = await this.#ledger();
    return writeBatch(
      {
        config: this.#config,
        folders: this.#folders,
        ledger,
        clock: this.#clock,
        ...(options?.signal && { signal: options.signal }),
      },
      entityName,
      ops,
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const lease = this.#lease;
    this.#lease = undefined;
    if (lease) await (await lease.catch(() => undefined))?.release();
  }

  /** Opened on first write, and the interrupted files of an earlier run settled before anything else. */
  #ledger(): Promise<LedgerLease> {
    if (this.#closed)
      return Promise.reject(new ConnectorError('transient', 'file-exchange session is closed'));
    this.#lease ??= (async () => {
      await assertFolder(this.#folders.outbound, 'outbound folder', true);
      const lease = await acquireLedger(this.#folders.root, this.#config.ledgerRetentionDays * DAY_MS);
      try {
        await lease.ledger.exclusive(async () => {
          for (const unit of lease.ledger.pendingUnits())
            await settleUnit(lease.ledger, unit, this.#folders.outbound);
        });
      } catch (error) {
        await lease.release();
        throw error;
      }
      return lease;
    })().catch((error: unknown) => {
      this.#lease = undefined;
      throw classifyFileError(error, 'opening the outbound ledger');
    });
    return this.#lease;
  }
}

export interface FileExchangeConnectOptions {
  /** Tests pin the time that names files. */
  clock?: () => Date;
}

/** Builds the connector; `fileExchangeConnector` is the registered instance with the real clock. */
export function createFileExchangeConnector(
  options: FileExchangeConnectOptions = {},
): Connector<string, FileExchangeConfig> {
  const clock = options.clock ?? (() => new Date());
  return {
    manifest,
    configSchema: fileExchangeConfigSchema,
    async connect(config) {
      const parsed = fileExchangeConfigSchema.safeParse(config);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        throw new ConnectorError('validation', `invalid file-exchange config: ${detail}`);
      }
      return new FileExchangeSession(parsed.data, clock);
    },
  };
}

export const fileExchangeConnector = createFileExchangeConnector();

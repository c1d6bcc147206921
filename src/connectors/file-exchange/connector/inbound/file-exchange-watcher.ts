import type { Kysely } from 'kysely';
import type { Database } from '../../../../platform/db/index.js';
import {
  InboundFolder,
  ensureInboundFolders,
  type InboundFolders,
  type PollReport,
} from '../../inbound-folder.js';
import { watchInboundFolder, type InboundWatcher } from '../../inbound/index.js';
import { createImportApplier } from './apply/apply-import-row.js';
import { DbProcessedFileStore } from './db-processed-file-store.js';

/** Pino-compatible subset, so the hub's logger fits without this folder importing it. */
export interface WatcherLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export interface FileExchangeWatcherOptions {
  db: Kysely<Database>;
  /** The exchange root: inbox/, archive/ and quarantine/ are (created) below it. */
  root: string;
  /** Poll at least this often; two quiet polls take a file, so this is also the settle time. Default 5. */
  everySeconds?: number;
  requireManifest?: boolean;
  logger?: WatcherLogger;
  /** Also poll soon after the inbox changes (fs.watch). Default true. */
  watchFolder?: boolean;
  onReport?: (report: PollReport) => void;
}

/**
 * The inbound half of the file exchange as the hub runs it: polls `<root>/inbox` on a schedule (and soon
 * after a change), applies good rows through the domain services, archives processed files, quarantines
 * refused ones, and remembers content hashes in the database so a re-dropped file is a no-op.
 */
export class FileExchangeWatcher {
  readonly #options: FileExchangeWatcherOptions;
  #folders: InboundFolders | undefined;
  #folder: InboundFolder | undefined;
  #watcher: InboundWatcher | undefined;

  constructor(options: FileExchangeWatcherOptions) {
    this.#options = options;
  }

  get folders(): InboundFolders | undefined {
    return this.#folders;
  }

  get running(): boolean {
    return this.#watcher !== undefined;
  }

  async start(): Promise<void> {
    if (this.#watcher !== undefined) return;
    const { logger } = this.#options;
    const folders = await ensureInboundFolders(this.#options.root);
    this.#folders = folders;
    this.#folder = new InboundFolder({
      ...folders,
      store: new DbProcessedFileStore(this.#options.db),
      apply: createImportApplier(this.#options.db),
      requireManifest: this.#options.requireManifest ?? false,
    });
    this.#watcher = watchInboundFolder(this.#folder, {
      intervalMs: (this.#options.everySeconds ?? 5) * 1000,
      ...(this.#options.watchFolder !== false && { watchFolder: folders.inbox }),
      onReport: (report) => {
        for (const outcome of report.outcomes) {
          const level = outcome.status === 'quarantined' || outcome.status === 'deferred' ? 'warn' : 'info';
          logger?.[level]({ ...outcome }, `inbound file ${outcome.fileName}: ${outcome.status}`);
        }
        this.#options.onReport?.(report);
      },
      onError: (error) => logger?.error({ err: error }, 'inbound folder poll failed'),
    });
    logger?.info({ inbox: folders.inbox }, 'watching the file exchange inbox');
  }

  /** One poll now, outside the schedule (a file is taken on its second sighting). */
  async pollNow(): Promise<PollReport> {
    if (this.#folder === undefined) throw new Error('FileExchangeWatcher is not started');
    return this.#folder.poll();
  }

  /** Stops scheduling and waits for a poll in progress (and its file) to finish. */
  async stop(): Promise<void> {
    const watcher = this.#watcher;
    this.#watcher = undefined;
    await watcher?.stop();
  }
}

import fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ExchangeFolders } from '../connectors/file-exchange/connector/index.js';
import { FileExchangeWatcher } from '../connectors/file-exchange/connector/inbound/index.js';
import type { Hub } from '../hub/index.js';
import { startHub } from '../hub/index.js';
import { createApiToken, listApiTokens } from '../platform/auth/index.js';
import type { AppConfig } from '../platform/config/index.js';
import { migrateToLatest, openDatabase } from '../platform/db/index.js';
import type { Logger } from '../platform/logging/index.js';
import { createLogger } from '../platform/logging/index.js';
import type { LoadedFlowConfig } from '../sync/flows/index.js';
import type { DemoLoadResult } from './demo-company.js';
import { loadDemoCompany } from './demo-company.js';
import { fileExchangesOf, mainJobFlowConfig } from './quickstart-config.js';

export interface MainJobOptions {
  /** Already passed through `quickstartConfig`. */
  config: AppConfig;
  logger?: Logger;
  /** Load the demo company into an empty database (default true). */
  demo?: boolean;
}

export interface MainJob {
  hub: Hub;
  flowConfig: LoadedFlowConfig | undefined;
  /** The exchange folders of the first file-exchange connector, when the flows have one. */
  exchange: ExchangeFolders | undefined;
  watchers: FileExchangeWatcher[];
  demo: DemoLoadResult;
  tokenFile: string;
  stop(): Promise<void>;
}

/** An admin token in a private file of the data folder, made once (and again if the file was deleted). */
async function ensureAdminTokenFile(hub: Hub, dataDir: string): Promise<string> {
  const tokenFile = path.resolve(dataDir, 'admin-token.txt');
  const tokens = await listApiTokens(hub.handle.db);
  if (!tokens.some((t) => !t.revokedAt && t.scopes.includes('admin')) || !fs.existsSync(tokenFile)) {
    const created = await createApiToken(hub.handle.db, { name: 'quickstart-admin', scopes: ['admin'] });
    fs.writeFileSync(tokenFile, `${created.token}\n`, { mode: 0o600 });
  }
  return tokenFile;
}

/**
 * The Quick start's main job: the data folder, a migrated store, the demo company (into an empty
 * database only), the API, the sync engine with the file exchange flows (the built-in defaults unless a
 * flows file is configured), the inbox watcher, and an admin token file.
 */
export async function startMainJob(options: MainJobOptions): Promise<MainJob> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.log.level);
  await mkdir(config.dataDir, { recursive: true });
  const flowConfig = await mainJobFlowConfig(config);
  const exchanges = fileExchangesOf(flowConfig);
  for (const { folders } of exchanges) {
    for (const dir of [folders.outbound, folders.inbox, folders.archive, folders.quarantine])
      await mkdir(dir, { recursive: true });
  }

  const handle = openDatabase({
    url: config.databaseUrl,
    poolSize: config.db.poolSize,
    checkpoints: 'background',
  });
  const watchers: FileExchangeWatcher[] = [];
  let hub: Hub | undefined;
  try {
    const migrated = await migrateToLatest(handle);
    if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, 'migrations applied');
    const demo: DemoLoadResult =
      options.demo === false ? { loaded: false, reason: 'not requested' } : await loadDemoCompany(handle.db);
    hub = await startHub({ config, handle, migrate: false, logger, flowConfig });
    if (config.sync.enabled) {
      for (const { config: fx } of exchanges) {
        if (!fx.inbound.enabled) continue;
        const watcher = new FileExchangeWatcher({
          db: handle.db,
          root: fx.root,
          everySeconds: fx.inbound.everySeconds,
          requireManifest: fx.inbound.requireManifest,
          logger,
        });
        await watcher.start();
        watchers.push(watcher);
      }
    }
    const tokenFile = await ensureAdminTokenFile(hub, config.dataDir);
    const running = hub;
    let stopping: Promise<void> | undefined;
    return {
      hub: running,
      flowConfig,
      exchange: exchanges[0]?.folders,
      watchers,
      demo,
      tokenFile,
      stop: () =>
        (stopping ??= (async () => {
          for (const w of watchers) await w.stop();
          await running.stop();
          await handle.close();
        })()),
    };
  } catch (error) {
    for (const w of watchers) await w.stop().catch(() => undefined);
    await hub?.stop().catch(() => undefined);
    await handle.close().catch(() => undefined);
    throw error;
  }
}

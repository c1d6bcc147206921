import path from 'node:path';
import type { AppConfig } from '../platform/config/index.js';
import type { ExchangeFolders, FileExchangeConfig } from '../connectors/file-exchange/connector/index.js';
import { exchangeFoldersOf, fileExchangeConfigSchema } from '../connectors/file-exchange/connector/index.js';
import type { LoadedFlowConfig } from '../sync/flows/index.js';
import { loadFlowConfig } from '../sync/flows/index.js';
import { loadDefaultFlowConfig } from './default-flows.js';

const DEFAULT_DATABASE_URL = 'sqlite:./data/fieldsync.db';

/**
 * The Quick start keeps everything in one data folder. When only the folder is moved
 * (FIELDSYNC_DATA_DIR) the default SQLite file moves with it, so `start`, `demo day` and `import` run
 * against the same database wherever the folder is.
 */
export function quickstartConfig(config: AppConfig): AppConfig {
  const dataDir = path.resolve(config.dataDir);
  if (config.databaseUrl !== DEFAULT_DATABASE_URL || dataDir === path.resolve('./data'))
    return { ...config, dataDir };
  return { ...config, dataDir, databaseUrl: `sqlite:${path.join(dataDir, 'fieldsync.db')}` };
}

export const exchangeRootOf = (config: AppConfig): string =>
  path.join(path.resolve(config.dataDir), 'exchange');

/** The file-exchange connector entries of a flow config, parsed, with their folders. */
export function fileExchangesOf(
  flowConfig: LoadedFlowConfig,
): { name: string; config: FileExchangeConfig; folders: ExchangeFolders }[] {
  return Object.entries(flowConfig.config.connectors).flatMap(([name, entry]) => {
    if (entry.type !== 'file-exchange' || entry.config === undefined) return [];
    const config = fileExchangeConfigSchema.parse(entry.config);
    return [{ name, config, folders: exchangeFoldersOf(config) }];
  });
}

/** The flows the main job runs for this config: the configured flows file, else the built-in defaults. */
export async function mainJobFlowConfig(config: AppConfig): Promise<LoadedFlowConfig> {
  return config.sync.flowsFile
    ? loadFlowConfig(config.sync.flowsFile)
    : loadDefaultFlowConfig({ exchangeRoot: exchangeRootOf(config) });
}

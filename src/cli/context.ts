import type { Command } from 'commander';
import type { AppConfig } from '../platform/config/index.js';
import { loadConfig } from '../platform/config/index.js';
import type { DbHandle } from '../platform/db/index.js';
import { migrateToLatest, openDatabase } from '../platform/db/index.js';

/** Global CLI flags, shared by every command. */
export interface GlobalOptions {
  config?: string;
  databaseUrl?: string;
}

export function configFrom(command: Command, overrides: Record<string, unknown> = {}): AppConfig {
  const globals = command.optsWithGlobals<GlobalOptions>();
  return loadConfig({ file: globals.config, overrides: { databaseUrl: globals.databaseUrl, ...overrides } });
}

/** Opens (and migrates) the configured store for a one-shot command, closing it afterwards. */
export async function withStore<T>(config: AppConfig, work: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = openDatabase({ url: config.databaseUrl, poolSize: 2 });
  try {
    await migrateToLatest(handle);
    return await work(handle);
  } finally {
    await handle.close();
  }
}

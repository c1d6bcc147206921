import type { Command } from 'commander';
import type { DbHandle } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logging/index.js';
import { SyncEngine } from '../../sync/engine/index.js';
import type { LoadedFlowConfig } from '../../sync/flows/index.js';
import { loadFlowConfig } from '../../sync/flows/index.js';
import { configFrom, withStore } from '../context.js';

/** Opens the store and, when a flows file is configured, the (not started) sync engine built from it. */
export async function withSync<T>(
  command: Command,
  work: (ctx: { handle: DbHandle; flows?: LoadedFlowConfig; engine?: SyncEngine }) => Promise<T>,
): Promise<T> {
  const config = configFrom(command);
  const flows = config.sync.flowsFile ? await loadFlowConfig(config.sync.flowsFile) : undefined;
  return withStore(config, async (handle) => {
    const engine = flows
      ? new SyncEngine({ db: handle.db, logger: createLogger('warn', process.stderr), flowConfig: flows })
      : undefined;
    try {
      return await work({ handle, ...(flows && { flows }), ...(engine && { engine }) });
    } finally {
      for (const rt of engine?.connectors.values() ?? []) await rt.session.close().catch(() => undefined);
    }
  });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function requireFlows(flows: LoadedFlowConfig | undefined): LoadedFlowConfig {
  if (!flows)
    throw new Error('no flows configured: set FIELDSYNC_FLOWS_FILE or sync.flowsFile in the config file');
  return flows;
}

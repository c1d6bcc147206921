import type { ConnectorLogger } from '../../sdk/connector.js';
import type { TrytonConnectorConfig } from '../config.js';
import type {
  TrytonCallOptions,
  TrytonClient,
  TrytonContext,
  TrytonWarningPolicy,
} from '../transport/index.js';
import type { Resolver } from './resolver.js';

/** What every entity operation works with: one logged-in client, the config, and cached look-ups. */
export interface TrytonRuntime {
  client: TrytonClient;
  config: TrytonConnectorConfig;
  resolver: Resolver;
  logger: ConnectorLogger | undefined;
}

/** Archived (inactive) records are part of the data we sync: an archived party is news, not noise. */
export const includeInactive: TrytonContext = { active_test: false };

/** The configured warning policy: all, none, or warnings raised by the listed methods. */
export function warningPolicy(config: TrytonConnectorConfig): TrytonWarningPolicy {
  const setting = config.acknowledgeWarnings;
  if (typeof setting === 'boolean') return setting;
  const methods = new Set(setting.map((m) => m.replace(/^model\./, '')));
  return (warning) => methods.has(warning.method.replace(/^model\./, ''));
}

/** Options for button calls (`do`, `post`, `confirm`, `close`): longer timeout, configured warnings. */
export function buttonOptions(rt: TrytonRuntime): TrytonCallOptions {
  return { timeoutMs: rt.config.timeouts.buttonMs, acknowledgeWarnings: warningPolicy(rt.config) };
}

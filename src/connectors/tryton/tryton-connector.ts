import type { Connector } from '../sdk/connector.js';
import { ConnectorError } from '../sdk/connector-error.js';
import { trytonConfigSchema } from './config.js';
import type { TrytonConnectorConfig } from './config.js';
import type { TrytonEntity } from './manifest.js';
import { trytonManifest } from './manifest.js';
import { TrytonConnectorSession } from './tryton-session.js';

/** Tryton 6.0 over JSON-RPC (docs/connectors/tryton.md). `connect` never calls out; `check()` logs in. */
export const trytonConnector: Connector<TrytonEntity, TrytonConnectorConfig> = {
  manifest: trytonManifest,
  configSchema: trytonConfigSchema,
  async connect(config, ctx = {}) {
    const parsed = trytonConfigSchema.safeParse(config);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new ConnectorError('validation', `invalid tryton config: ${detail}`);
    }
    return new TrytonConnectorSession(parsed.data, ctx);
  },
};

import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Connector, ConnectorManifest, ConnectorSession, WriteResult } from '../sdk/connector.js';
import { ConnectorError } from '../sdk/connector-error.js';

export const noopConfigSchema = z
  .object({
    /** Simulated vendor round trip per call, for benchmarks of the engine under a slow ERP. */
    latencyMs: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type NoopConfig = z.output<typeof noopConfigSchema>;

const manifest: ConnectorManifest = {
  name: 'noop',
  version: '1.0.0',
  entities: {
    '*': {
      operations: ['readChanges', 'readAll', 'writeBatch'],
      writeOps: ['create', 'update', 'upsert', 'delete'],
      keyFields: ['id'],
    },
  },
  capabilities: { incrementalRead: true, nativeIdempotency: true, referenceLookup: false },
  maxBatchSize: 1000,
  maxConcurrency: 64,
};

/**
 * Accepts every write and has nothing to read: it measures the engine alone (dispatcher throughput)
 * without a vendor in the way. External ids are derived from the key, so re-writes look idempotent.
 */
export const noopConnector: Connector<string, NoopConfig> = {
  manifest,
  configSchema: noopConfigSchema,
  async connect(config) {
    const { latencyMs } = noopConfigSchema.parse(config ?? {});
    const pause = async (): Promise<void> => {
      if (latencyMs > 0) await sleep(latencyMs);
    };
    const session: ConnectorSession = {
      async check() {
        await pause();
        return { serverVersion: 'noop/1' };
      },
      async readChanges(_entity, cursor) {
        await pause();
        return { records: [], nextCursor: cursor, hasMore: false };
      },
      // eslint-disable-next-line require-yield -- an empty ERP has nothing to yield
      async *readAll() {
        await pause();
      },
      async writeBatch(_entity, ops, options) {
        await pause();
        if (options?.signal?.aborted)
          throw new ConnectorError('transient', 'write abandoned by the caller', {
            cause: options.signal.reason,
          });
        return ops.map((op): WriteResult => ({
          idempotencyKey: op.idempotencyKey,
          ok: true,
          externalId: op.externalId ?? `noop-${op.idempotencyKey}`,
        }));
      },
      async close() {},
    };
    return session;
  },
};

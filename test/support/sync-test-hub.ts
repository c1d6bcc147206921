import type { TestErp } from '../../src/connectors/test-erp/index.js';
import { startTestErp } from '../../src/connectors/test-erp/index.js';
import type { Hub } from '../../src/hub/index.js';
import { startHub } from '../../src/hub/index.js';
import { createApiToken } from '../../src/platform/auth/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import type { Engine } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { validateFlowConfig } from '../../src/sync/flows/index.js';
import type { TestDatabase } from './test-database.js';
import { createTestDatabase } from './test-database.js';
import { memoryLog } from './test-hub.js';

/** A hub whose one flow sends customers to the loopback test ERP, with fast retries (2 attempts). */
export interface SyncTestHub {
  hub: Hub;
  erp: TestErp;
  testDb: TestDatabase;
  tokens: { read: string; write: string; admin: string };
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }>;
  stop(): Promise<void>;
}

/** customers-out: customers to the loopback test ERP connector named `erp`, two attempts, then dead. */
export const customersOutFlow = {
  name: 'customers-out',
  direction: 'outbound',
  connector: 'erp',
  source: { kind: 'events', types: ['customer.created', 'customer.updated', 'customer.resync'] },
  entity: 'customer',
  mapping: {
    fields: {
      name: { from: 'customer.name', owner: 'erp', required: true },
      code: { from: 'customer.code', owner: 'erp' },
    },
  },
  target: { entity: 'customer', operation: 'upsert' },
  batchSize: 20,
  retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, jitter: 'none' },
} as const;

export const customersOutFlowConfig = (erpUrl: string, erpToken: string) =>
  validateFlowConfig({
    connectors: {
      erp: { type: 'test-erp', config: { baseUrl: erpUrl, token: erpToken, timeoutMs: 5000 } },
    },
    flows: [customersOutFlow],
  });

export async function startSyncTestHub(
  engine: Engine,
  overrides: Record<string, unknown> = {},
): Promise<SyncTestHub> {
  const testDb = await createTestDatabase(engine);
  const erp = await startTestErp();
  const config = loadConfig({
    env: {},
    overrides: { databaseUrl: testDb.url, 'http.port': 0, ...overrides },
  });
  const hub = await startHub({
    config,
    handle: testDb.handle,
    migrate: false,
    flowConfig: customersOutFlowConfig(erp.url, erp.token),
    logger: createLogger('error', memoryLog().stream),
  });
  const db = testDb.handle.db;
  const tokens = {
    read: (await createApiToken(db, { name: 'reader', scopes: ['read'] })).token,
    write: (await createApiToken(db, { name: 'writer', scopes: ['write'] })).token,
    admin: (await createApiToken(db, { name: 'admin', scopes: ['admin'] })).token,
  };
  const call: SyncTestHub['call'] = async (method, path, body, token = tokens.admin) => {
    const res = await fetch(`${hub.server.url}${path}`, {
      method,
      headers: {
        ...(token !== null && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = {};
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return {
    hub,
    erp,
    testDb,
    tokens,
    call,
    stop: async () => {
      await hub.stop();
      await erp.close();
      await testDb.drop();
    },
  };
}

// Starts a hub on an existing benchmark database with a fresh admin token, logging only errors.
import { Writable } from 'node:stream';
import type { Hub } from '../src/hub/index.js';
import { startHub } from '../src/hub/index.js';
import { createApiToken } from '../src/platform/auth/index.js';
import { loadConfig } from '../src/platform/config/index.js';
import { createLogger } from '../src/platform/logging/index.js';
import type { TestDatabase } from '../test/support/databases.js';

export async function startTestHubFor(testDb: TestDatabase): Promise<{ hub: Hub; token: string }> {
  const config = loadConfig({
    env: {},
    overrides: { databaseUrl: testDb.url, 'http.port': 0, 'sync.enabled': false },
  });
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const hub = await startHub({
    config,
    handle: testDb.handle,
    migrate: false,
    logger: createLogger('error', sink),
  });
  const { token } = await createApiToken(testDb.handle.db, { name: 'bench', scopes: ['admin'] });
  return { hub, token };
}

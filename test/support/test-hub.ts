import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Hub } from '../../src/hub/index.js';
import { startHub } from '../../src/hub/index.js';
import { createApiToken } from '../../src/platform/auth/index.js';
import { loadConfig } from '../../src/platform/config/index.js';
import type { Engine } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import type { TestDatabase } from './test-database.js';
import { createTestDatabase, testEngines } from './test-database.js';

export interface TestHub {
  hub: Hub;
  url: string;
  engine: Engine;
  tokens: { read: string; write: string; admin: string };
  /** fetch against the hub with a token (admin unless given) and JSON body handling. */
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // Tests inspect arbitrary JSON; they narrow with expect().
  body: Record<string, unknown> & { errors?: { path: string; message: string }[] };
  text: string;
}

/** Collects log lines so tests can assert on what the hub logged (and keep test output clean). */
export function memoryLog(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

export async function startTestHub(
  engine: Engine,
  overrides: Record<string, unknown> = {},
): Promise<{ testHub: TestHub; testDb: TestDatabase }> {
  const testDb = await createTestDatabase(engine);
  const config = loadConfig({
    env: {},
    overrides: { databaseUrl: testDb.url, 'http.port': 0, 'sync.enabled': false, ...overrides },
  });
  const hub = await startHub({
    config,
    handle: testDb.handle,
    migrate: false,
    logger: createLogger('error', memoryLog().stream),
  });
  const db = testDb.handle.db;
  const tokens = {
    read: (await createApiToken(db, { name: 'reader', scopes: ['read'] })).token,
    write: (await createApiToken(db, { name: 'writer', scopes: ['write'] })).token,
    admin: (await createApiToken(db, { name: 'admin', scopes: ['admin'] })).token,
  };
  const url = hub.server.url;
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? tokens.admin : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: CallResult['body'] = {};
    try {
      parsed = text ? (JSON.parse(text) as CallResult['body']) : {};
    } catch {
      parsed = {};
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return { testHub: { hub, url, engine, tokens, call }, testDb };
}

/** Registers `body` once per engine with a running hub on loopback and its own database. */
export function describeEachHub(
  title: string,
  body: (hub: () => TestHub) => void,
  overrides: Record<string, unknown> = {},
): void {
  for (const engine of testEngines) {
    describe(`${title} [${engine}]`, () => {
      let started: { testHub: TestHub; testDb: TestDatabase } | undefined;
      beforeAll(async () => {
        started = await startTestHub(engine, overrides);
      });
      afterAll(async () => {
        await started?.testHub.hub.stop();
        await started?.testDb.drop();
      });
      body(() => {
        if (!started) throw new Error('hub not started');
        return started.testHub;
      });
    });
  }
}

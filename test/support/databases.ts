import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DbHandle, Engine } from '../../src/platform/db/index.js';
import { migrateToLatest, openDatabase } from '../../src/platform/db/index.js';

// Uniquely named, self-dropping databases for tests and benchmarks (no test-runner imports here).

/** Engines the storage tests run on: SQLite always, PostgreSQL when FIELDSYNC_TEST_PG names a server. */
export const testEngines: Engine[] = process.env.FIELDSYNC_TEST_PG ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  handle: DbHandle;
  url: string;
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `fs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sqlText: string, serverUrl = process.env.FIELDSYNC_TEST_PG): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, uniquely named database that the caller drops. */
export async function createTestDatabase(
  engine: Engine,
  options: { migrate?: boolean; serverUrl?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? process.env.FIELDSYNC_TEST_PG ?? '';
  const name = uniqueName();
  if (engine === 'postgres') {
    await adminQuery(`create database ${name}`, serverUrl);
    const url = withDatabase(serverUrl, name);
    const handle = openDatabase({ url });
    if (options.migrate !== false) await migrateToLatest(handle);
    return {
      handle,
      url,
      drop: async () => {
        await handle.close();
        await adminQuery(`drop database if exists ${name} with (force)`, serverUrl);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldsync-test-'));
  const url = `sqlite:${path.join(dir, `${name}.db`)}`;
  const handle = openDatabase({ url });
  if (options.migrate !== false) await migrateToLatest(handle);
  return {
    handle,
    url,
    drop: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DbHandle, Engine } from '../../src/platform/db/index.js';
import { migrateToLatest, openDatabase } from '../../src/platform/db/index.js';

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

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.FIELDSYNC_TEST_PG });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, uniquely named database that the caller drops. */
export async function createTestDatabase(engine: Engine, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = uniqueName();
  if (engine === 'postgres') {
    await adminQuery(`create database ${name}`);
    const url = withDatabase(process.env.FIELDSYNC_TEST_PG ?? '', name);
    const handle = openDatabase({ url });
    if (options.migrate !== false) await migrateToLatest(handle);
    return {
      handle,
      url,
      drop: async () => {
        await handle.close();
        await adminQuery(`drop database if exists ${name} with (force)`);
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

/**
 * Registers `body` once per engine, each with its own migrated database created before and dropped after
 * the block. `db()` returns the live handle inside tests.
 */
export function describeEachEngine(title: string, body: (db: () => DbHandle, engine: Engine) => void): void {
  for (const engine of testEngines) {
    describe(`${title} [${engine}]`, () => {
      let testDb: TestDatabase | undefined;
      beforeAll(async () => {
        testDb = await createTestDatabase(engine);
      });
      afterAll(async () => {
        await testDb?.drop();
      });
      body(() => {
        if (!testDb) throw new Error('test database not ready');
        return testDb.handle;
      }, engine);
    });
  }
}

import { afterAll, beforeAll, describe } from 'vitest';
import type { DbHandle, Engine } from '../../src/platform/db/index.js';
import type { TestDatabase } from './databases.js';
import { createTestDatabase, testEngines } from './databases.js';

export { createTestDatabase, testEngines } from './databases.js';
export type { TestDatabase } from './databases.js';

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

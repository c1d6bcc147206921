import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../support/databases.js';

// The dispatcher's pool may relax commit durability; every other handle must stay durable.
describe.skipIf(!process.env.FIELDSYNC_TEST_PG)('commit durability on PostgreSQL', () => {
  it('a relaxed handle commits without waiting for the WAL flush; a default one waits', async () => {
    const testDb = await createTestDatabase('postgres');
    const relaxed = openDatabase({ url: testDb.url, commit: 'relaxed' });
    try {
      const setting = async (db: typeof relaxed.db) =>
        (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0]
          ?.synchronous_commit;
      expect(await setting(testDb.handle.db)).toBe('on');
      expect(await setting(relaxed.db)).toBe('off');
    } finally {
      await relaxed.close();
      await testDb.drop();
    }
  });
});

import pg from 'pg';

/**
 * When PostgreSQL tests are requested (FIELDSYNC_TEST_PG holds a server URL), fail the whole run early
 * with a clear message if the server is unreachable, instead of failing every test one by one.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.FIELDSYNC_TEST_PG;
  if (!url) {
    console.warn('[fieldsync tests] FIELDSYNC_TEST_PG is not set: storage tests run on SQLite only.');
    return;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`FIELDSYNC_TEST_PG=${url} is not reachable: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

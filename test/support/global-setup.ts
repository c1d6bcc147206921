import { execFileSync } from 'node:child_process';
import pg from 'pg';

/**
 * Before any test file: builds the web console, and when PostgreSQL tests are requested
 * (FIELDSYNC_TEST_PG holds a server URL) fails the whole run early with a clear message if the server is
 * unreachable, instead of failing every test one by one.
 */
export default async function globalSetup(): Promise<void> {
  buildConsole();
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

/**
 * The browser suites (test/console) and the Quick start test serve the built console. Building it once
 * here (tsc, a few seconds), before the test files start in parallel, keeps two suites from rewriting
 * dist/console under each other's feet.
 */
function buildConsole(): void {
  execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
}

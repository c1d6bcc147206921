/**
 * Starts a throwaway Tryton server on a fresh copy of the test template and prints how to reach it.
 * Run: npx tsx scripts/tryton/dev-server.ts [--db <name>]
 * Ctrl-C stops the server and deletes the database copy.
 */
import { startTryton, trytonAvailable } from '../../test/support/tryton/index.js';

async function main(): Promise<void> {
  if (!trytonAvailable()) {
    console.error('trytond is not installed: run scripts/tryton/install.sh as root first.');
    process.exitCode = 1;
    return;
  }
  const dbFlag = process.argv.indexOf('--db');
  const dbName = dbFlag >= 0 ? process.argv[dbFlag + 1] : undefined;
  console.log('Preparing Tryton (the first run builds the template, ~20 s)...');
  const tryton = await startTryton(dbName === undefined ? {} : { dbName });
  const { setup } = tryton;
  console.log(
    [
      '',
      `Tryton ${setup.trytondVersion} is up.`,
      `  url:        ${tryton.url}`,
      `  JSON-RPC:   POST ${tryton.url}/${tryton.database}/`,
      `  database:   ${tryton.database}`,
      `  login:      ${tryton.adminLogin}`,
      `  password:   ${tryton.adminPassword}`,
      `  company id: ${setup.company.id} (currency EUR id ${setup.currencies.EUR})`,
      `  storage location id: ${setup.locations.storage}, warehouse id: ${setup.locations.warehouse}`,
      `  files:      ${tryton.dir} (log: ${tryton.logPath})`,
      `  timings:    template build ${Math.round(tryton.timings.templateBuildMs)} ms (0 = cached), ` +
        `copy ${tryton.timings.copyMs.toFixed(1)} ms, start ${Math.round(tryton.timings.startMs)} ms`,
      '',
      'Try: curl -s -X POST -H "Content-Type: application/json" \\',
      `  -d '{"id":1,"method":"common.db.login","params":["${tryton.adminLogin}",{"password":"${tryton.adminPassword}"},"en"]}' \\`,
      `  ${tryton.url}/${tryton.database}/`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Tryton...');
    void tryton.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Keeps the event loop alive until a signal arrives.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import type { Command } from 'commander';
import { migrateToLatest, openDatabase } from '../../platform/db/index.js';
import { configFrom } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (SQLite file or DATABASE_URL) and exit')
    .action(async (_opts, command: Command) => {
      const config = configFrom(command);
      const handle = openDatabase({ url: config.databaseUrl, poolSize: 1 });
      try {
        const report = await migrateToLatest(handle);
        const list = report.applied.length > 0 ? report.applied.join(', ') : 'none (already up to date)';
        process.stdout.write(`database ${handle.location} (${handle.engine}): applied ${list}\n`);
      } finally {
        await handle.close();
      }
    });
}

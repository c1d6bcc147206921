import type { Command } from 'commander';
import { mainJobBanner, quickstartConfig, startMainJob } from '../../demo/index.js';
import { createLogger } from '../../platform/logging/index.js';
import { configFrom } from '../context.js';

/**
 * The Quick start's main job (`npm start`): creates the data folder, migrates SQLite, loads the demo
 * company into an empty database, serves the API, runs the sync engine with the built-in file exchange
 * flows and the inbox watcher, writes an admin token file, and prints where everything is. Logs go to
 * stderr so stdout carries the banner.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'the Quick start: SQLite under ./data, demo company, API, sync to ./data/exchange, admin token file',
    )
    .option('-p, --port <port>', 'port to listen on (env FIELDSYNC_PORT, default 8080)')
    .option('--no-demo', 'do not load the demo company into an empty database')
    .action(async (opts: { port?: string; demo: boolean }, command: Command) => {
      const config = quickstartConfig(configFrom(command, { 'http.port': opts.port }));
      const logger = createLogger(config.log.level, process.stderr);
      let job;
      try {
        job = await startMainJob({ config, logger, demo: opts.demo });
      } catch (error) {
        // A half-started hub may hold timers; say what failed and leave.
        process.stderr.write(`fieldsync: could not start: ${(error as Error).message}\n`);
        process.exit(1);
      }
      const running = job;
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        void running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      // Handlers first: whoever reads the banner may signal us the moment it arrives.
      process.stdout.write(mainJobBanner(job, config.http.publicUrl));
    });
}

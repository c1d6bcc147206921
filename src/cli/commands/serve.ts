import type { Command } from 'commander';
import { startHub } from '../../hub/index.js';
import { configFrom } from '../context.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('migrate the store, then serve the REST API (and sync engine) until stopped')
    .option('-p, --port <port>', 'port to listen on (env FIELDSYNC_PORT, default 8080)')
    .option('-H, --host <host>', 'address to bind (env FIELDSYNC_HOST, default 127.0.0.1)')
    .action(async (opts: { port?: string; host?: string }, command: Command) => {
      const config = configFrom(command, { 'http.port': opts.port, 'http.host': opts.host });
      const hub = await startHub({ config });
      const shutdown = (signal: string) => {
        hub.logger.info({ signal }, 'shutting down');
        void hub.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { startHub } from '../../hub/index.js';
import { createApiToken, listApiTokens } from '../../platform/auth/index.js';
import { configFrom } from '../context.js';

/**
 * The Quick start's main job: everything `serve` does, plus first-run conveniences for the embedded
 * default — an admin token written to a private file in the data folder, and a banner saying where
 * everything is.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('first-run friendly serve: SQLite under ./data, an admin token file, and a banner of URLs')
    .option('-p, --port <port>', 'port to listen on (env FIELDSYNC_PORT, default 8080)')
    .action(async (opts: { port?: string }, command: Command) => {
      const config = configFrom(command, { 'http.port': opts.port });
      fs.mkdirSync(config.dataDir, { recursive: true });
      const hub = await startHub({ config });
      const tokenFile = path.resolve(config.dataDir, 'admin-token.txt');
      const tokens = await listApiTokens(hub.handle.db);
      if (!tokens.some((t) => !t.revokedAt && t.scopes.includes('admin')) || !fs.existsSync(tokenFile)) {
        const created = await createApiToken(hub.handle.db, { name: 'quickstart-admin', scopes: ['admin'] });
        fs.writeFileSync(tokenFile, `${created.token}\n`, { mode: 0o600 });
      }
      const url = config.http.publicUrl ?? hub.server.url;
      process.stdout.write(
        [
          '',
          'Fieldsync is running.',
          `  API           ${url}/v1`,
          `  OpenAPI       ${url}/openapi.json`,
          `  Health        ${url}/healthz   Metrics ${url}/metrics`,
          `  Database      ${hub.handle.location} (${hub.handle.engine})`,
          `  Admin token   ${tokenFile}   (use: Authorization: Bearer $(cat ${path.relative(process.cwd(), tokenFile)}))`,
          'Stop with Ctrl-C.',
          '',
        ].join('\n'),
      );
      const shutdown = () => void hub.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../platform/config/index.js';
import { isAppError } from '../shared/errors/index.js';
import { registerQuickstartCommands } from './commands/demo.js';
import { registerMigrate } from './commands/migrate.js';
import { registerServe } from './commands/serve.js';
import { registerStart } from './commands/start.js';
import { registerSync } from './commands/sync.js';
import { registerToken } from './commands/token.js';

export function buildProgram(): Command {
  const program = new Command('fieldsync')
    .description(
      'Fieldsync keeps field-service operations and your ERP in step.\n\n' +
        'Settings come from environment variables (DATABASE_URL, FIELDSYNC_PORT, …; see docs/configuration.md)\n' +
        'or a YAML/JSON file given with --config. With no settings it uses SQLite at ./data/fieldsync.db.',
    )
    .option('-c, --config <file>', 'YAML or JSON config file (env FIELDSYNC_CONFIG)')
    .option('-d, --database-url <url>', 'postgres://… or sqlite:<path> (env DATABASE_URL)')
    .showHelpAfterError('(run "fieldsync --help" for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  fieldsync start                          first run: SQLite in ./data, admin token file, URLs\n' +
        '  fieldsync serve                          start the API on http://127.0.0.1:8080\n' +
        '  fieldsync token create --name me --scopes admin\n' +
        '  DATABASE_URL=postgres://postgres@127.0.0.1/fieldsync fieldsync migrate\n',
    );
  registerStart(program);
  registerQuickstartCommands(program);
  registerServe(program);
  registerMigrate(program);
  registerToken(program);
  registerSync(program);
  return program;
}

/** Runs the CLI; bad configuration and usage errors exit non-zero with one clear message. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`fieldsync: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (isAppError(error)) {
      process.stderr.write(`fieldsync: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    // A plain message for people; the stack only when asked for (FIELDSYNC_DEBUG=1).
    const detail = process.env.FIELDSYNC_DEBUG
      ? ((error as Error).stack ?? String(error))
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`fieldsync: ${detail}\n`);
    process.exitCode = 1;
  }
}

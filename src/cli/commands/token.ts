import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Scope } from '../../platform/auth/index.js';
import {
  allScopes,
  createApiToken,
  isScope,
  listApiTokens,
  revokeApiToken,
} from '../../platform/auth/index.js';
import { configFrom, withStore } from '../context.js';

function parseScopes(value: string): Scope[] {
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.filter((s) => !isScope(s));
  if (bad.length > 0 || scopes.length === 0) {
    throw new InvalidArgumentError(`scopes must be a comma list of ${allScopes.join(', ')}; got "${value}"`);
  }
  return scopes as Scope[];
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('create, list and revoke API tokens');

  token
    .command('create')
    .description('create an API token; it is printed once and stored only as a hash')
    .requiredOption('-n, --name <name>', 'who or what uses the token, e.g. "erp-bridge"')
    .option('-s, --scopes <list>', 'comma list of read, write, admin (admin ⊇ write ⊇ read)', parseScopes, [
      'read',
      'write',
    ])
    .option('--json', 'print JSON instead of text')
    .action(async (opts: { name: string; scopes: Scope[]; json?: boolean }, command: Command) => {
      const created = await withStore(configFrom(command), (h) => createApiToken(h.db, opts));
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ token: created.token, ...created.summary })}\n`);
      else {
        process.stdout.write(
          `token ${created.summary.tokenId} (${created.summary.name}, scopes ${created.summary.scopes.join(',')}):\n`,
        );
        process.stdout.write(`${created.token}\n`);
        process.stdout.write(
          'Store it now: it cannot be shown again. Use it as "Authorization: Bearer <token>".\n',
        );
      }
    });

  token
    .command('list')
    .description('list tokens (never their secret)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const tokens = await withStore(configFrom(command), (h) => listApiTokens(h.db));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(tokens)}\n`);
        return;
      }
      for (const t of tokens) {
        const state = t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`;
        process.stdout.write(`${t.tokenId}  ${t.prefix}…  ${t.name}  [${t.scopes.join(',')}]  ${state}\n`);
      }
      if (tokens.length === 0)
        process.stdout.write('no tokens yet: create one with "fieldsync token create --name <name>"\n');
    });

  token
    .command('revoke')
    .description('revoke a token by id or by its shown prefix')
    .argument('<id-or-prefix>')
    .action(async (idOrPrefix: string, _opts, command: Command) => {
      const done = await withStore(configFrom(command), (h) => revokeApiToken(h.db, idOrPrefix));
      if (!done) {
        process.stderr.write(`no active token matches ${idOrPrefix}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`revoked ${idOrPrefix}\n`);
    });
}

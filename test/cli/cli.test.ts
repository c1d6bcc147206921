import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptChildArgs } from '../support/typescript-child.js';

const entry = path.resolve('src/cli/run.ts');

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, typescriptChildArgs(entry, ...args), {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('fieldsync CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-cli-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}` };

  it('explains itself with --help', () => {
    const res = cli(['--help']);
    expect(res.code).toBe(0);
    for (const command of ['serve', 'migrate', 'token']) expect(res.stdout).toContain(command);
    expect(res.stdout).toContain('DATABASE_URL');
  });

  it('migrates, then reports nothing left to apply', () => {
    const first = cli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 0001_foundation/);
    expect(cli(['migrate'], env).stdout).toContain('already up to date');
  });

  it('creates, lists and revokes tokens without ever listing the secret', () => {
    const created = cli(['token', 'create', '--name', 'ci-bot', '--scopes', 'read,write', '--json'], env);
    expect(created.code).toBe(0);
    const { token, tokenId, scopes } = JSON.parse(created.stdout) as {
      token: string;
      tokenId: string;
      scopes: string[];
    };
    expect(token).toMatch(/^fst_/);
    expect(scopes).toEqual(['read', 'write']);
    const listed = cli(['token', 'list'], env);
    expect(listed.stdout).toContain('ci-bot');
    expect(listed.stdout).not.toContain(token);
    expect(cli(['token', 'revoke', tokenId], env).code).toBe(0);
    expect(cli(['token', 'list'], env).stdout).toContain('revoked');
    expect(cli(['token', 'revoke', tokenId], env).code).toBe(1);
  });

  it('refuses bad scopes and bad configuration with a non-zero exit naming the problem', () => {
    const scopes = cli(['token', 'create', '--name', 'x', '--scopes', 'root'], env);
    expect(scopes.code).not.toBe(0);
    expect(scopes.stderr).toContain('scopes must be');
    const port = cli(['migrate'], { ...env, FIELDSYNC_PORT: '99999' });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('http.port');
    expect(port.stderr).toContain('FIELDSYNC_PORT');
  });
});

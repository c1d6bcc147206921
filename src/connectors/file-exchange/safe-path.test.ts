import { execFileSync } from 'node:child_process';
import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError } from '../sdk/connector-error.js';
import { FileExchangeError } from './file-exchange-error.js';
import { assertSafeRelativeName, openRegularFileInside, resolveInside } from './safe-path.js';
import { tempDir } from './test-support/temp-dir.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/files');
const tricks = (
  JSON.parse(await readFile(path.join(fixtures, 'path-tricks.json'), 'utf8')) as {
    names: { name: string; reason: string }[];
  }
).names;

let root: string;
let drop: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir('fx-path-'));
  drop = path.join(root, 'drop');
  await mkdir(path.join(drop, 'sub'), { recursive: true });
  await writeFile(path.join(root, 'outside.csv'), 'secret');
  await writeFile(path.join(drop, 'inside.csv'), 'ok');
});
afterEach(async () => cleanup());

async function refusal(promise: Promise<unknown>): Promise<FileExchangeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileExchangeError);
  expect(isConnectorError(error)).toBe(true);
  return error as FileExchangeError;
}

describe('safe paths (R16)', () => {
  it.each(tricks)('refuses $name → $reason', async ({ name, reason }) => {
    expect(() => assertSafeRelativeName(name)).toThrow(FileExchangeError);
    expect((await refusal(resolveInside(drop, name))).reason).toBe(reason);
    expect((await refusal(openRegularFileInside(drop, name))).reason).toBe(reason);
  });

  it('resolves plain and nested names inside the folder', async () => {
    const real = await realpath(drop);
    expect(await resolveInside(drop, 'inside.csv')).toBe(path.join(real, 'inside.csv'));
    expect(await resolveInside(drop, 'sub/new.csv')).toBe(path.join(real, 'sub', 'new.csv'));
    expect(await resolveInside(drop, './inside.csv')).toBe(path.join(real, 'inside.csv'));
  });

  it('refuses a symlink whose target leaves the folder, allows one that stays inside', async () => {
    await symlink(path.join(root, 'outside.csv'), path.join(drop, 'escape.csv'));
    await symlink(path.join(drop, 'inside.csv'), path.join(drop, 'alias.csv'));
    expect((await refusal(resolveInside(drop, 'escape.csv'))).reason).toBe('symlink_escape');
    expect(await resolveInside(drop, 'alias.csv')).toBe(path.join(await realpath(drop), 'inside.csv'));
    expect((await refusal(openRegularFileInside(drop, 'alias.csv', { refuseSymlinks: true }))).reason).toBe(
      'symlink',
    );
  });

  it('refuses writing through a symlinked sub-folder that leaves the folder', async () => {
    await symlink(root, path.join(drop, 'up'));
    expect((await refusal(resolveInside(drop, 'up/new.csv'))).reason).toBe('symlink_escape');
    expect((await refusal(resolveInside(drop, 'up/outside.csv'))).reason).toBe('symlink_escape');
  });

  it('refuses directories and FIFOs, and does not hang on a FIFO', async () => {
    expect((await refusal(openRegularFileInside(drop, 'sub'))).reason).toBe('not_regular_file');
    execFileSync('mkfifo', [path.join(drop, 'pipe.csv')]);
    expect((await refusal(openRegularFileInside(drop, 'pipe.csv'))).reason).toBe('not_regular_file');
  });

  it('refuses a missing file and an oversize one with a clear message', async () => {
    expect((await refusal(openRegularFileInside(drop, 'nope.csv'))).reason).toBe('not_found');
    const big = await refusal(openRegularFileInside(drop, 'inside.csv', { maxBytes: 1 }));
    expect(big.reason).toBe('too_large');
    expect(big.message).toBe('file "inside.csv" is 2 B, over the 1 B limit (limits.maxFileBytes)');
  });

  it('never shows control characters raw in messages', async () => {
    const error = await refusal(resolveInside(drop, '../\u001b[31mred'));
    expect(error.message).not.toContain('\u001b');
  });
});

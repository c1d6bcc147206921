import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typescriptChildArgs } from '../support/typescript-child.js';

/**
 * The Quick start as a user runs it: `fieldsync start` in one process, `demo day` and `import` in others,
 * all on one temporary data folder. Runs the TypeScript sources in plain node (`--import tsx`), so a
 * signal reaches the CLI itself.
 */
const entry = path.resolve('src/cli/run.ts');
// The loader by absolute path: the processes run in a temporary folder, where `tsx` would not resolve.
const base = mkdtempSync(path.join(tmpdir(), 'fs-quickstart-'));
const dataDir = path.join(base, 'data');
const env = {
  ...process.env,
  FIELDSYNC_DATA_DIR: dataDir,
  FIELDSYNC_LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  FIELDSYNC_FLOWS_FILE: '',
};
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, typescriptChildArgs(entry, ...args), {
    cwd: base,
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `fieldsync start` on a free port and resolves with its banner once it is printed. */
async function start(): Promise<{ child: ChildProcessWithoutNullStreams; banner: string; url: string }> {
  const child = spawn(process.execPath, typescriptChildArgs(entry, 'start'), {
    cwd: base,
    env: { ...env, FIELDSYNC_PORT: '0' },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner within 90 s; stderr: ${stderr.slice(-2000)}`)),
      90_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('Stop with Ctrl-C.')) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fieldsync start exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
  const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(banner)?.[1];
  if (!url) throw new Error(`no API URL in the banner:\n${banner}`);
  return { child, banner, url };
}

/** A kept-alive socket the server already closed (its idle timeout passed while a CLI ran) is retried once. */
async function get(url: string, token?: string): Promise<Response> {
  const init = token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } };
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('Quick start walk-through (child processes)', () => {
  it(
    'start prints the banner and serves /readyz; demo day produces outbound files; import updates customers; a restart keeps the data',
    { timeout: 400_000 },
    async () => {
      const first = await start();
      const relData = 'data';
      for (const line of [
        `Web console     ${first.url}/   (sign in with the admin token below)`,
        `API             ${first.url}/v1`,
        `OpenAPI         ${first.url}/openapi.json`,
        'Demo company    loaded: 4 customers, 7 items, 3 warehouses, 2 technicians, 4 assets, 2 contracts',
        `Outbound files  ${relData}/exchange/outbound`,
        `Inbox           ${relData}/exchange/inbox`,
        `Admin token     ${relData}/admin-token.txt`,
        'node bin/fieldsync.js demo day',
      ]) {
        expect(first.banner).toContain(line);
      }
      expect((await get(`${first.url}/readyz`)).status).toBe(200);
      const consolePage = await get(`${first.url}/`);
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toContain('<title>Fieldsync console</title>');
      const token = readFileSync(path.join(dataDir, 'admin-token.txt'), 'utf8').trim();
      expect((await get(`${first.url}/v1/customers`, token)).status).toBe(200);

      const port = new URL(first.url).port;
      const day = cli(['demo', 'day', '--date', '2026-05-04'], { FIELDSYNC_PORT: port });
      expect(day.stderr).toBe('');
      expect(day.code).toBe(0);
      expect(day.stdout).toContain('Technician day 2026-05-04:');
      expect(day.stdout).toContain(`New files in ${path.join(dataDir, 'exchange', 'outbound')}:`);
      expect(day.stdout).toMatch(/_stock-movements_\d{6}\.csv/);
      expect(day.stdout).toMatch(/_maintenance-costs_\d{6}\.csv/);
      const outbound = readdirSync(path.join(dataDir, 'exchange', 'outbound'));
      expect(outbound.filter((n) => n.endsWith('.manifest.json')).length).toBeGreaterThanOrEqual(3);

      const again = cli(['demo', 'day', '--date', '2026-05-04', '--no-wait'], { FIELDSYNC_PORT: port });
      expect(again.code).toBe(0);
      expect(again.stdout.match(/done by an earlier run/g)).toHaveLength(4);

      const csv = path.join(base, 'customers-update.csv');
      writeFileSync(csv, 'code,name,email\nC-1003,Hotel Aurora & Spa,desk@aurora.example\n');
      const imported = cli(['import', csv]);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain('customers-update.csv: imported (customers, csv)');
      expect(imported.stdout).toContain('rows read 1, applied 1, rejected 0');
      const customers = (await (await get(`${first.url}/v1/customers?code=C-1003`, token)).json()) as {
        data: { name: string }[];
      };
      expect(customers.data.map((c) => c.name)).toEqual(['Hotel Aurora & Spa']);
      expect(cli(['import', csv]).stdout).toContain('duplicate');

      expect(await stop(first.child)).toBe(0);
      const second = await start();
      expect(second.banner).toContain('Demo company    not loaded (the database already holds data)');
      expect(existsSync(path.join(dataDir, 'admin-token.txt'))).toBe(true);
      expect(await stop(second.child)).toBe(0);
    },
  );
});

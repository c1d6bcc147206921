import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import { trytonBinaries, trytondVersion } from './availability.js';
import { writeTrytonConfig } from './config-file.js';
import {
  ADMIN_EMAIL,
  ADMIN_LOGIN,
  ADMIN_PASSWORD,
  ENV_CACHE_DIR,
  ENV_REBUILD,
  HARNESS_VERSION,
  TEMPLATE_DB,
  TRYTON_MODULES,
} from './constants.js';
import { freePort } from './free-port.js';
import { setupDatabase } from './setup-database.js';
import type { TrytonSetup } from './setup-types.js';
import { launchTrytond, spawnLogged, stopTrytond } from './trytond-process.js';

export interface TrytonTemplate {
  dir: string;
  /** The pristine SQLite file every test database is copied from. */
  file: string;
  setup: TrytonSetup;
  /** Build time in ms when this call built it, 0 when it was already cached. */
  buildMs: number;
}

/**
 * The cache key: harness version, trytond version, module list and the current year (the fiscal years
 * are "this year and next", so a template from last December must not serve January's tests).
 */
export function templateKey(year = new Date().getUTCFullYear()): string {
  const modules = createHash('sha256').update(TRYTON_MODULES.join(',')).digest('hex').slice(0, 8);
  return `h${HARNESS_VERSION}-trytond${trytondVersion()}-${year}-${modules}`;
}

export function cacheRoot(): string {
  return process.env[ENV_CACHE_DIR] ?? path.join(os.tmpdir(), 'fieldsync-tryton');
}

function readTemplate(dir: string): TrytonTemplate | undefined {
  const file = path.join(dir, `${TEMPLATE_DB}.sqlite`);
  const setupFile = path.join(dir, 'setup.json');
  if (!existsSync(file) || !existsSync(setupFile)) return undefined;
  return { dir, file, setup: JSON.parse(readFileSync(setupFile, 'utf8')) as TrytonSetup, buildMs: 0 };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let forcedRebuildDone = false;

/**
 * Returns the pristine template, building it when missing. Several vitest workers may ask at once: a
 * lock directory (mkdir is atomic) elects one builder, the others wait for it; a lock left by a dead
 * process is taken over. The build happens in a private directory renamed into place when complete.
 */
export async function ensureTemplate(options: { timeoutMs?: number } = {}): Promise<TrytonTemplate> {
  const root = cacheRoot();
  const dir = path.join(root, templateKey());
  await mkdir(root, { recursive: true });
  if (process.env[ENV_REBUILD] === '1' && !forcedRebuildDone) {
    forcedRebuildDone = true;
    await rm(dir, { recursive: true, force: true });
  }
  const lock = `${dir}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  while (Date.now() < deadline) {
    const ready = readTemplate(dir);
    if (ready) return ready;
    try {
      await mkdir(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(path.join(lock, 'pid'), 'utf8').catch(() => '0'));
      if (owner > 0 && !pidAlive(owner)) await rm(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      await writeFile(path.join(lock, 'pid'), String(process.pid));
      const existing = readTemplate(dir);
      if (existing) return existing;
      return await buildTemplate(dir);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  throw new Error(`timed out waiting for the Tryton template in ${dir} (lock ${lock})`);
}

const staleTemplateMs = 24 * 60 * 60 * 1000;

/**
 * Housekeeping before a build: a failed build keeps its directory (and log) until a later build by
 * another process removes it; templates under other keys (older harness/trytond/year) are removed once
 * they are a day old, so a second checkout still using one right now is left alone.
 */
async function pruneCache(dir: string): Promise<void> {
  const root = path.dirname(dir);
  const prefix = `${path.basename(dir)}.build-`;
  for (const name of await readdir(root)) {
    const full = path.join(root, name);
    if (name.startsWith(prefix)) {
      const pid = Number(name.slice(prefix.length));
      if (pid > 0 && !pidAlive(pid)) await rm(full, { recursive: true, force: true });
    } else if (/^h[^.]+$/.test(name) && full !== dir) {
      const info = await stat(full).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > staleTemplateMs)
        await rm(full, { recursive: true, force: true });
    }
  }
}

async function buildTemplate(dir: string): Promise<TrytonTemplate> {
  const binaries = trytonBinaries();
  if (!binaries) throw new Error('trytond is not installed: run scripts/tryton/install.sh');
  const started = Date.now();
  const work = `${dir}.build-${process.pid}`;
  await pruneCache(dir);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const port = await freePort();
  const configPath = await writeTrytonConfig({ dir: work, port });
  const passFile = path.join(work, 'admin-password');
  await writeFile(passFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  await writeFile(path.join(work, `${TEMPLATE_DB}.sqlite`), '');
  const logPath = path.join(work, 'build.log');

  // -d and -u swallow the words after them, so the module list goes last.
  const admin = spawnLogged(
    binaries.trytondAdmin,
    [
      '-c',
      configPath,
      '-d',
      TEMPLATE_DB,
      '--email',
      ADMIN_EMAIL,
      '--activate-dependencies',
      '-u',
      ...TRYTON_MODULES,
    ],
    logPath,
    { ...process.env, TRYTONPASSFILE: passFile },
  );
  const code = await admin.exited;
  if (code !== 0) {
    throw new Error(
      `trytond-admin failed (${code}); see ${logPath}:\n${readFileSync(logPath, 'utf8').slice(-3000)}`,
    );
  }
  const adminMs = Date.now() - started;

  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await launchTrytond({
    trytond: binaries.trytond,
    configPath,
    database: TEMPLATE_DB,
    baseUrl,
    logPath,
  });
  let setup: TrytonSetup;
  try {
    const client = new TrytonClient({
      url: baseUrl,
      database: TEMPLATE_DB,
      login: ADMIN_LOGIN,
      password: ADMIN_PASSWORD,
      requireCompany: false,
      timeoutMs: 120_000,
    });
    setup = await setupDatabase(client, {
      harnessVersion: HARNESS_VERSION,
      trytondVersion: trytondVersion(),
      year: new Date().getUTCFullYear(),
    });
    await client.logout().catch(() => undefined);
  } finally {
    await stopTrytond(server);
  }
  const buildMs = Date.now() - started;
  await writeFile(
    path.join(work, 'setup.json'),
    JSON.stringify({ ...setup, timings: { trytondAdminMs: adminMs, totalMs: buildMs } }, null, 2),
  );
  await rm(passFile, { force: true });
  await rename(work, dir);
  const built = readTemplate(dir);
  if (!built) throw new Error(`template build in ${dir} left no template`);
  return { ...built, buildMs };
}

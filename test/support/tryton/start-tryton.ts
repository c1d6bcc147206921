import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrytonClient } from '../../../src/connectors/tryton/transport/index.js';
import type { TrytonClientOptions } from '../../../src/connectors/tryton/transport/index.js';
import { trytonBinaries } from './availability.js';
import { writeTrytonConfig } from './config-file.js';
import { ADMIN_LOGIN, ADMIN_PASSWORD, TEMPLATE_DB } from './constants.js';
import { freePort } from './free-port.js';
import type { TrytonSetup } from './setup-types.js';
import { ensureTemplate, pidAlive } from './template.js';
import { TrytondStartError, launchTrytond, stopTrytond } from './trytond-process.js';
import type { TrytondProcess } from './trytond-process.js';

export interface StartTrytonOptions {
  /** Database name (default: unique per call). Each handle has its own directory, so names never clash. */
  dbName?: string;
  /** How long to wait for trytond to answer (default 60 s). */
  readyTimeoutMs?: number;
}

export interface TrytonHandle {
  /** Server base URL, e.g. http://127.0.0.1:41234 (JSON-RPC endpoint is `${url}/${database}/`). */
  url: string;
  database: string;
  port: number;
  adminLogin: string;
  adminPassword: string;
  /** Ids recorded when the template was set up (company, accounts, locations...). */
  setup: TrytonSetup;
  /** Directory holding this server's database copy, config and log. */
  dir: string;
  logPath: string;
  timings: { templateBuildMs: number; copyMs: number; startMs: number };
  /** A client logged in as admin on this database; options override the defaults. */
  client(options?: Partial<TrytonClientOptions>): TrytonClient;
  /** Stops trytond and deletes the database copy. Idempotent. */
  stop(): Promise<void>;
  /** Stops trytond, keeps the database (the ERP is now down: connections are refused). */
  stopServer(): Promise<void>;
  /** Starts trytond again on the same port and database. */
  startServer(): Promise<void>;
  /** stopServer(), wait `downMs` (default 0), startServer(): "ERP down for a while". */
  restart(options?: { downMs?: number }): Promise<void>;
}

const safeName = /^[A-Za-z0-9_-]{1,60}$/;
const runPrefix = 'fieldsync-tryton-run-';

/** Run directories of processes killed before stop() (their trytond died with them: PDEATHSIG). */
async function removeOrphanedRuns(): Promise<void> {
  for (const name of await readdir(os.tmpdir())) {
    const pid = name.startsWith(runPrefix) ? Number.parseInt(name.slice(runPrefix.length), 10) : 0;
    if (pid > 0 && !pidAlive(pid)) await rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

/**
 * Starts a private trytond on a fresh copy of the pristine template, listening on a free loopback port.
 * Safe to call from several vitest workers at once (each copy, config and port is private).
 */
export async function startTryton(options: StartTrytonOptions = {}): Promise<TrytonHandle> {
  const binaries = trytonBinaries();
  if (!binaries) throw new Error('trytond is not installed: run scripts/tryton/install.sh');
  const template = await ensureTemplate();

  const database = options.dbName ?? `fs_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!safeName.test(database) || database === TEMPLATE_DB) {
    throw new Error(`startTryton: invalid dbName ${JSON.stringify(database)}`);
  }
  await removeOrphanedRuns();
  const dir = await mkdtemp(path.join(os.tmpdir(), `${runPrefix}${process.pid}-`));
  const copyStarted = performance.now();
  await copyFile(template.file, path.join(dir, `${database}.sqlite`));
  const copyMs = performance.now() - copyStarted;
  const logPath = path.join(dir, 'trytond.log');

  let port = 0;
  let configPath = '';
  let proc: TrytondProcess | undefined;
  const launch = (): Promise<TrytondProcess> =>
    launchTrytond({
      trytond: binaries.trytond,
      configPath,
      database,
      baseUrl: `http://127.0.0.1:${port}`,
      logPath,
      ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    });

  const startStarted = performance.now();
  try {
    // The free port can be taken by someone else before trytond binds it: try a few fresh ones.
    for (let attempt = 1; proc === undefined; attempt += 1) {
      port = await freePort();
      configPath = await writeTrytonConfig({ dir, port });
      try {
        proc = await launch();
      } catch (error) {
        if (!(error instanceof TrytondStartError && error.addressInUse && attempt < 5)) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const startMs = performance.now() - startStarted;

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stopServer = async (): Promise<void> => {
    const current = proc;
    proc = undefined;
    if (current) await stopTrytond(current);
  };
  const startServer = async (): Promise<void> => {
    if (stopped) throw new Error('startServer after stop()');
    if (proc) return;
    proc = await launch();
  };

  return {
    url,
    database,
    port,
    adminLogin: ADMIN_LOGIN,
    adminPassword: ADMIN_PASSWORD,
    setup: template.setup,
    dir,
    logPath,
    timings: { templateBuildMs: template.buildMs, copyMs, startMs },
    client: (overrides = {}) =>
      new TrytonClient({ url, database, login: ADMIN_LOGIN, password: ADMIN_PASSWORD, ...overrides }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
    stopServer,
    startServer,
    restart: async ({ downMs = 0 } = {}) => {
      await stopServer();
      if (downMs > 0) await sleep(downMs);
      await startServer();
    },
  };
}

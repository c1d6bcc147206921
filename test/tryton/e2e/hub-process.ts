// The hub as a real process: `fieldsync serve` from source (node --import tsx src/cli/run.ts serve), its
// own database, a flow file, an admin token. The end-to-end proof talks to it over HTTP only, and kills it -9.
// The hub is ONE node process (see test/support/typescript-child.ts), so a kill -9 really kills it.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typescriptChildArgs } from '../../support/typescript-child.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'src/cli/run.ts');
/** `node --import tsx src/cli/run.ts <args>`: the CLI from source, in a single process. */
const cliCommand = (args: string[]): [string, string[]] => [
  process.execPath,
  typescriptChildArgs(cli, ...args),
];

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
/** A test runner that ends without stopping its hubs (a failed beforeAll, a killed worker) takes them along. */
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

export interface HubProcessOptions {
  databaseUrl: string;
  flowsFile: string;
  port: number;
  token: string;
}

export interface ApiResult {
  status: number;
  // The scenario inspects arbitrary JSON and narrows it with expect().
  body: Record<string, unknown>;
}

export interface HubProcess {
  url: string;
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, leases and in-flight requests are abandoned. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful stop of `fieldsync serve`. */
  stop(): Promise<void>;
  call(method: string, route: string, body?: unknown): Promise<ApiResult>;
  /** The tail of the child's stderr, for failure messages. */
  log(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An admin API token, made the way an operator makes one: `fieldsync token create --json`. */
export function createToken(databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const [command, args] = cliCommand([
      'token',
      'create',
      '--name',
      'e2e-proof',
      '--scopes',
      'admin',
      '--json',
    ]);
    execFile(
      command,
      args,
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, FIELDSYNC_LOG_LEVEL: 'warn' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`token create failed: ${error.message}\n${stderr}`));
        else resolve((JSON.parse(stdout) as { token: string }).token);
      },
    );
  });
}

export function hubProcess(options: HubProcessOptions): HubProcess {
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;
  let stderr = '';
  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => c.once('exit', () => r()));

  const call = async (method: string, route: string, body?: unknown): Promise<ApiResult> => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  };

  return {
    url,
    call,
    log: () => stderr.slice(-3000),
    async start() {
      if (child) throw new Error('hub already running');
      // Readiness below is "the port answers": make sure nothing else (a hub that outlived a kill) does.
      const taken = await fetch(`${url}/readyz`).then(
        () => true,
        () => false,
      );
      if (taken) throw new Error(`port ${options.port} already answers: another hub is still running`);
      const [command, args] = cliCommand(['serve', '--port', String(options.port), '--host', '127.0.0.1']);
      const started = spawn(command, args, {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: options.databaseUrl,
          FIELDSYNC_FLOWS_FILE: options.flowsFile,
          FIELDSYNC_LOG_LEVEL: 'warn',
          FIELDSYNC_SYNC_ENABLED: 'true',
          // A killed hub's batch is taken over after its lease; short here, so the proof does not idle.
          FIELDSYNC_SYNC_LEASE_SECONDS: '12',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = started;
      track(started);
      started.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-20_000);
      });
      // Ready when /readyz answers 200 (bounded); an early exit fails at once.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (started.exitCode !== null)
          throw new Error(`hub exited (${started.exitCode}): ${stderr.slice(-2000)}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        await sleep(200);
      }
      throw new Error(`hub not ready within 60 s: ${stderr.slice(-2000)}`);
    },
    async kill() {
      const c = child;
      child = undefined;
      if (!c) return;
      const done = exited(c);
      c.kill('SIGKILL');
      await done;
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c) return;
      const done = exited(c);
      c.kill('SIGTERM');
      await done;
    },
  };
}

/** Polls `check` until it returns a value that is not undefined (bounded); the last error is reported. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

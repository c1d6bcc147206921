import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TrytondProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  logPath: string;
}

export class TrytondStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
    this.name = 'TrytondStartError';
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort when a test process ends without calling stop(): no trytond outlives its runner. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * On Linux trytond is started through python3 with PR_SET_PDEATHSIG, so the kernel terminates it if the
 * Node process dies (a killed vitest worker, Ctrl-C on the dev server) without running exit hooks.
 */
const pdeathsigLauncher = [
  'import ctypes, os, signal, sys',
  'ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)',
  'if os.getppid() != int(sys.argv[1]): sys.exit(70)',
  'os.execv(sys.argv[2], sys.argv[2:])',
].join('\n');

export function spawnLogged(
  command: string,
  args: readonly string[],
  logPath: string,
  env?: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<number | string> } {
  installExitHook();
  const fd = openSync(logPath, 'a');
  const useLauncher = process.platform === 'linux' && existsSync('/usr/bin/python3');
  const child = useLauncher
    ? spawn('/usr/bin/python3', ['-c', pdeathsigLauncher, String(process.pid), command, ...args], {
        stdio: ['ignore', fd, fd],
        env: env ?? process.env,
      })
    : spawn(command, [...args], { stdio: ['ignore', fd, fd], env: env ?? process.env });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { child, exited };
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Answers when trytond has bound its port; the pool of `-d <db>` is loaded before it binds. */
async function answers(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    await response.text();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Starts `trytond -c <config> -d <database>` and waits until it answers JSON-RPC. */
export async function launchTrytond(options: {
  trytond: string;
  configPath: string;
  database: string;
  baseUrl: string;
  logPath: string;
  readyTimeoutMs?: number;
}): Promise<TrytondProcess> {
  const { child, exited } = spawnLogged(
    options.trytond,
    ['-c', options.configPath, '-d', options.database],
    options.logPath,
  );
  let exitCode: number | string | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      const log = tail(options.logPath);
      throw new TrytondStartError(
        `trytond exited (${exitCode}) before answering; log ${options.logPath}:\n${log}`,
        /Address already in use/i.test(log),
      );
    }
    if (await answers(options.baseUrl)) return { child, exited, logPath: options.logPath };
    await sleep(50);
  }
  child.kill('SIGKILL');
  await exited;
  throw new TrytondStartError(
    `trytond did not answer on ${options.baseUrl} within ${options.readyTimeoutMs ?? 60_000} ms; ` +
      `log ${options.logPath}:\n${tail(options.logPath)}`,
    false,
  );
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopTrytond(proc: TrytondProcess, graceMs = 5000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  try {
    await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

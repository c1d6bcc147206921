import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typescriptChildArgs } from './typescript-child.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fs-ts-child-'));
const helper = path.resolve('test/support/typescript-child.ts');
// A TypeScript program that reports its pid and runs until stopped.
const sleeper = path.join(dir, 'sleeper.ts');
writeFileSync(
  sleeper,
  'const pid: number = process.pid;\nprocess.stdout.write(`pid ${pid}\\n`);\nsetInterval(() => undefined, 1000);\n',
);
// A parent that starts the sleeper the way tests do, reports its pid, and is then killed -9.
const parent = path.join(dir, 'parent.ts');
writeFileSync(
  parent,
  [
    "import { spawn } from 'node:child_process';",
    `import { typescriptChildArgs } from ${JSON.stringify(helper)};`,
    `const child = spawn(process.execPath, typescriptChildArgs(${JSON.stringify(sleeper)}), { stdio: ['ignore', 'inherit', 'inherit'] });`,
    'setInterval(() => undefined, 1000);',
    'void child;',
  ].join('\n'),
);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `entry` and resolves with the first pid it prints (bounded). */
function startAndReadPid(entry: string) {
  const child = spawn(process.execPath, typescriptChildArgs(entry), { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) started.push(child.pid);
  const pid = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no pid printed within 30 s')), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      const match = /pid (\d+)/.exec(d.toString());
      if (match) {
        clearTimeout(timer);
        started.push(Number(match[1]));
        resolve(Number(match[1]));
      }
    });
  });
  return { child, pid };
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe('TypeScript children of tests', () => {
  it('run as the very process spawned, so SIGKILL of that pid stops the program', async () => {
    const { child, pid } = startAndReadPid(sleeper);
    expect(await pid).toBe(child.pid);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(alive(await pid)).toBe(false);
  }, 40_000);

  it('stop by themselves when their parent is killed -9 (no orphan)', async () => {
    const { child, pid } = startAndReadPid(parent);
    const grandchild = await pid;
    expect(grandchild).not.toBe(child.pid);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(await gone(grandchild, 8000)).toBe(true);
  }, 40_000);
});

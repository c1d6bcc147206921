import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const exitWithParent = pathToFileURL(path.join(root, 'test/support/exit-with-parent.ts')).href;

/**
 * Arguments for `spawn(process.execPath, typescriptChildArgs(entry, ...args))`: the TypeScript entry runs
 * in ONE node process. Spawning the `tsx` binary instead starts a wrapper that forks the real process,
 * so a SIGKILL reaches only the wrapper and the program itself lives on, orphaned — a crash test would
 * kill nothing. The child also stops itself when its parent dies (exit-with-parent.ts), so a test worker
 * or benchmark that is killed or throws leaves no orphan behind.
 */
export function typescriptChildArgs(entry: string, ...args: string[]): string[] {
  return ['--import', tsxLoader, '--import', exitWithParent, entry, ...args];
}

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;

/**
 * Arguments for `spawn(process.execPath, typescriptChildArgs(entry, ...args))`: the TypeScript entry runs
 * in ONE node process. Spawning the `tsx` binary instead starts a wrapper that forks the real process,
 * so a SIGKILL reaches only the wrapper and the program itself lives on, orphaned — a crash test would
 * kill nothing.
 */
export function typescriptChildArgs(entry: string, ...args: string[]): string[] {
  return ['--import', tsxLoader, entry, ...args];
}

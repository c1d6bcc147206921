import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ENV_BIN_DIR, ENV_REQUIRE } from './constants.js';

/** Looks in FIELDSYNC_TRYTON_BIN_DIR only when set (e.g. a virtualenv's bin), else on PATH. */
function findOnPath(name: string): string | undefined {
  const dirs = process.env[ENV_BIN_DIR] ?? process.env.PATH ?? '';
  for (const dir of dirs.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface TrytonBinaries {
  trytond: string;
  trytondAdmin: string;
}

/** Paths of trytond and trytond-admin, or undefined when Tryton is not installed. */
export function trytonBinaries(): TrytonBinaries | undefined {
  const trytond = findOnPath('trytond');
  const trytondAdmin = findOnPath('trytond-admin');
  return trytond && trytondAdmin ? { trytond, trytondAdmin } : undefined;
}

/** True when the trytond and trytond-admin commands are installed (scripts/tryton/install.sh). */
export function trytonAvailable(): boolean {
  return trytonBinaries() !== undefined;
}

/** FIELDSYNC_TEST_TRYTON=1 means the Tryton suites must run: a missing Tryton is a failure, not a skip. */
export function trytonRequired(): boolean {
  return process.env[ENV_REQUIRE] === '1';
}

/**
 * Decides whether live Tryton suites run. Returns a reason to show in the skipped suite's name, or
 * undefined when they run. Throws when Tryton is required but missing, so the run fails loudly.
 * Usage: `const skip = trytonSkipReason(); describe.skipIf(skip !== undefined)(title(skip), ...)`.
 */
let warned = false;

export function trytonSkipReason(): string | undefined {
  if (trytonAvailable()) return undefined;
  if (trytonRequired()) {
    throw new Error(`${ENV_REQUIRE}=1 but trytond is not installed: run scripts/tryton/install.sh as root`);
  }
  const reason = `skipped: trytond not installed (run scripts/tryton/install.sh; set ${ENV_REQUIRE}=1 to make this fatal)`;
  if (!warned) {
    warned = true;
    console.warn(`[fieldsync tests] Tryton suites ${reason}`);
  }
  return reason;
}

let cachedVersion: string | undefined;

/** "6.0.29" — part of the template cache key. */
export function trytondVersion(): string {
  if (cachedVersion === undefined) {
    const binaries = trytonBinaries();
    if (!binaries) throw new Error('trytond is not installed');
    const out = execFileSync(binaries.trytond, ['--version'], { encoding: 'utf8' }).trim();
    cachedVersion = out.replace(/^trytond\s+/, '');
  }
  return cachedVersion;
}

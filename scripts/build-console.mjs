// Builds the web console into dist/console: tsc for the scripts (no bundler: the browser loads the
// ES modules as they are), then the static page and stylesheet copied beside them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'console/tsconfig.json'], { stdio: 'inherit' });
mkdirSync('dist/console', { recursive: true });
cpSync('console/public', 'dist/console', { recursive: true });

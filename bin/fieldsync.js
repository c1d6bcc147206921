#!/usr/bin/env node
// Runs the compiled CLI (npm run build produces dist/). Development can use `npm run cli -- <args>`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/run.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('fieldsync: not built yet; run "npm run build" (npm start does it for you)\n');
  process.exit(2);
}
await import(compiled);

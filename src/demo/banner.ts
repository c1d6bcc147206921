import path from 'node:path';
import type { MainJob } from './main-job.js';

function demoLine(job: MainJob): string {
  if (!job.demo.loaded) return `not loaded (${job.demo.reason})`;
  const c = job.demo.counts;
  return `loaded: ${c.customers} customers, ${c.items} items, ${c.warehouses} warehouses, ${c.technicians} technicians, ${c.assets} assets, ${c.contracts} contracts`;
}

/** Shown relative to the working directory when it is below it (shorter, and copy-pasteable from there). */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** What `fieldsync start` prints once everything is up: where each part is, and what to try next. */
export function mainJobBanner(job: MainJob, publicUrl?: string): string {
  const url = publicUrl ?? job.hub.server.url;
  const { handle } = job.hub;
  const lines = [
    '',
    'Fieldsync is running.',
    `  Web console     ${url}/   (sign in with the admin token below)`,
    `  API             ${url}/v1`,
    `  OpenAPI         ${url}/openapi.json`,
    `  Health          ${url}/readyz   Metrics ${url}/metrics`,
    `  Database        ${handle.location} (${handle.engine})`,
    `  Demo company    ${demoLine(job)}`,
  ];
  if (job.exchange) {
    lines.push(
      `  Outbound files  ${shown(job.exchange.outbound)}`,
      `  Inbox           ${shown(job.exchange.inbox)}   (processed → ${shown(job.exchange.archive)}, refused → ${shown(job.exchange.quarantine)})`,
    );
  } else lines.push('  File exchange   not configured by the flows file');
  lines.push(
    `  Admin token     ${shown(job.tokenFile)}   (use: Authorization: Bearer $(cat ${shown(job.tokenFile)}))`,
    '',
    'Next: open the web console and sign in with the admin token; then, in another terminal, simulate a',
    'technician day and watch it in the console and in the outbound folder:',
    '  node bin/fieldsync.js demo day',
    'Stop with Ctrl-C.',
    '',
  );
  return lines.join('\n');
}

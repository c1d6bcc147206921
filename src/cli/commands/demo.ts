import type { Command } from 'commander';
import {
  awaitExport,
  fileExchangesOf,
  mainJobFlowConfig,
  quickstartConfig,
  simulateTechnicianDay,
} from '../../demo/index.js';
import type { DemoDayResult, ExportWait } from '../../demo/index.js';
import { configFrom, withStore } from '../context.js';
import { registerImport } from './import.js';

function hubUrlOf(config: { http: { host: string; port: number; publicUrl?: string } }): string {
  if (config.http.publicUrl) return config.http.publicUrl.replace(/\/$/, '');
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
}

function report(day: DemoDayResult, wait: ExportWait | undefined, outbound: string, hubUrl: string): string {
  const lines = [`Technician day ${day.date}:`];
  for (const wo of day.workOrders) {
    const note = wo.alreadyDone ? ' (done by an earlier run)' : '';
    const billing =
      'error' in wo.billing
        ? `not billed: ${wo.billing.error}`
        : `billed ${wo.billing.number} ${wo.billing.net} ${wo.billing.currency}`;
    lines.push(
      `  ${wo.number}  ${wo.type.padEnd(12)} ${wo.customer.padEnd(20)} ${wo.technician.padEnd(12)} ${wo.status}, ${wo.laborMinutes} min, ${wo.parts} part(s), ${billing}${note}`,
    );
  }
  if (wait === undefined) return lines.join('\n');
  if (!wait.hubUp) {
    lines.push(
      '',
      `No hub answered at ${hubUrl}. ${wait.backlog} change(s) wait in the outbox; start the hub (npm start)`,
      `and they will be written to ${outbound}.`,
    );
  } else {
    lines.push('', wait.files.length > 0 ? `New files in ${outbound}:` : `No new files in ${outbound} yet.`);
    for (const f of wait.files) lines.push(`  ${f}`);
    if (wait.backlog > 0)
      lines.push(`${wait.backlog} change(s) are still on their way; look again in a moment.`);
  }
  if (wait.dead > 0)
    lines.push(`${wait.dead} change(s) are in the dead-letter queue (GET /v1/sync/dead-letters).`);
  return lines.join('\n');
}

/** `fieldsync demo day [--date]`: one simulated technician day against the Quick start's database. */
export function registerDemo(program: Command): void {
  const demo = program.command('demo').description('play with the demo company of the Quick start');
  demo
    .command('day')
    .description(
      'simulate a technician day: work orders completed with labor, van parts, checklists and signatures',
    )
    .option('--date <YYYY-MM-DD>', 'the day to simulate (default today); running a day again adds nothing')
    .option('--no-wait', 'do not wait for the running hub to write the files')
    .action(async (opts: { date?: string; wait: boolean }, command: Command) => {
      const config = quickstartConfig(configFrom(command));
      const exchange = fileExchangesOf(await mainJobFlowConfig(config))[0];
      if (exchange === undefined) throw new Error('the configured flows have no file-exchange connector');
      const outbound = exchange.folders.outbound;
      const hubUrl = hubUrlOf(config);
      const since = new Date();
      const { day, wait } = await withStore(config, async (handle) => {
        const result = await simulateTechnicianDay(
          handle.db,
          opts.date === undefined ? {} : { date: opts.date },
        );
        const waited = opts.wait ? await awaitExport({ db: handle.db, hubUrl, outbound, since }) : undefined;
        return { day: result, wait: waited };
      });
      process.stdout.write(`${report(day, wait, outbound, hubUrl)}\n`);
    });
}

/** The Quick start commands besides `start`: `demo day` and `import <file>`. */
export function registerQuickstartCommands(program: Command): void {
  registerDemo(program);
  registerImport(program);
}

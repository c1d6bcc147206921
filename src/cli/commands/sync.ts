import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { syncStatus } from '../../sync/api/index.js';
import { attemptsOf, listDeadLetters } from '../../sync/delivery/index.js';
import { startReplay } from '../../sync/replay/index.js';
import { describeFlow, renderFlowMappingTable } from '../../sync/flows/index.js';
import { getReconRun, listReconDiffs, runReconciliation } from '../../sync/reconcile/index.js';
import { printJson, requireFlows, withSync } from './sync-context.js';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
};

export function registerSync(program: Command): void {
  const sync = program
    .command('sync')
    .description('inspect and steer the sync engine (backlog, mappings, dead letters, reconciliation)');

  sync
    .command('status')
    .description('backlog, lag and dead letters per flow; circuit state per connector')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withSync(command, async ({ handle, engine }) => {
        const status = await syncStatus(handle.db, engine);
        if (opts.json) return printJson(status);
        if (status.flows.length === 0) process.stdout.write('no flows configured (FIELDSYNC_FLOWS_FILE)\n');
        for (const f of status.flows) {
          process.stdout.write(
            `${f.name.padEnd(28)} ${f.direction.padEnd(8)} pending ${f.pending}  in flight ${f.inFlight}  dead ${f.dead}  lag ${f.lagSeconds.toFixed(0)} s\n`,
          );
        }
      });
    });

  sync
    .command('flows')
    .description('list configured flows')
    .action(async (_opts, command: Command) => {
      await withSync(command, async ({ flows }) => {
        for (const flow of requireFlows(flows).flows) process.stdout.write(`${describeFlow(flow)}\n`);
      });
    });

  sync
    .command('mapping')
    .description("print a flow's mapping table (its documentation, by construction)")
    .argument('<flow>')
    .option('-f, --format <format>', 'text or markdown', 'text')
    .action(async (name: string, opts: { format: string }, command: Command) => {
      if (opts.format !== 'text' && opts.format !== 'markdown')
        throw new InvalidArgumentError('format must be text or markdown');
      await withSync(command, async ({ flows }) => {
        const flow = requireFlows(flows).byName.get(name);
        if (!flow)
          throw new Error(
            `no flow named "${name}"; known: ${[...requireFlows(flows).byName.keys()].join(', ')}`,
          );
        process.stdout.write(`${renderFlowMappingTable(flow, opts.format as 'text' | 'markdown')}\n`);
      });
    });

  const dead = sync.command('dead-letters').description('list, show and replay dead letters');
  dead
    .command('list')
    .option('--flow <flow>')
    .option('--entity <entity>', 'event entity, e.g. customer')
    .option('--error-class <class>')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { flow?: string; entity?: string; errorClass?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        await withSync(command, async ({ handle }) => {
          const page = await listDeadLetters(
            handle.db,
            { flow: opts.flow, entity: opts.entity, errorClass: opts.errorClass },
            { limit: opts.limit },
          );
          if (opts.json) return printJson(page.data);
          for (const d of page.data)
            process.stdout.write(
              `${d.id}  ${d.flow}  ${d.eventType}  ${d.subject}  ${d.errorClass ?? ''}: ${d.error ?? ''}\n`,
            );
          if (page.data.length === 0) process.stdout.write('no dead letters\n');
        });
      },
    );
  dead
    .command('show')
    .argument('<id>', 'dead letter id', positiveInt)
    .action(async (id: number, _opts, command: Command) => {
      await withSync(command, async ({ handle }) => {
        const letter = (await listDeadLetters(handle.db, { ids: [id] }, { limit: 1 })).data[0];
        if (!letter) throw new Error(`no dead letter ${id}`);
        printJson({ ...letter, attempts: await attemptsOf(handle.db, id) });
      });
    });
  dead
    .command('replay')
    .description('put dead letters back in the queue (idempotent); the running hub delivers them')
    .option('--id <id...>', 'dead letter ids')
    .option('--flow <flow>')
    .option('--entity <entity>')
    .option('--error-class <class>')
    .option('--all', 'replay every dead letter')
    .action(
      async (
        opts: { id?: string[]; flow?: string; entity?: string; errorClass?: string; all?: boolean },
        command: Command,
      ) => {
        const ids = opts.id?.map(positiveInt);
        const filter = { ids, flow: opts.flow, entity: opts.entity, errorClass: opts.errorClass };
        // An empty value (`--flow ""`) would otherwise read as "no filter", i.e. every dead letter.
        const options = { ids: '--id', flow: '--flow', entity: '--entity', errorClass: '--error-class' };
        const empty = Object.entries(filter).find(([, v]) => v !== undefined && v.length === 0);
        if (empty) throw new Error(`${options[empty[0] as keyof typeof options]} needs a value`);
        if (!opts.all && Object.values(filter).every((v) => v === undefined)) {
          throw new Error(
            'name --id, --flow, --entity or --error-class, or pass --all to replay every dead letter',
          );
        }
        await withSync(command, async ({ handle }) => {
          // Recorded like an API replay, so its progress shows in the console and GET /v1/sync/replays.
          const started = await startReplay(handle.db, {
            selector: { ...filter, ...(opts.all && { all: true }) },
            requestedBy: 'cli',
          });
          const follow = started.replayId ? ` (follow: GET /v1/sync/replays/${started.replayId})` : '';
          process.stdout.write(`replayed ${started.replayed}${follow}\n`);
        });
      },
    );

  sync
    .command('reconcile')
    .description('compare one entity in full against a connector and print the report')
    .argument('<connector>', 'connector name from the flows file')
    .argument('<entity>', 'customer | item | stock')
    .option('--remote-entity <name>', "the connector's entity name, when it differs")
    .option('--json', 'print JSON')
    .action(
      async (
        connector: string,
        entity: string,
        opts: { remoteEntity?: string; json?: boolean },
        command: Command,
      ) => {
        await withSync(command, async ({ handle, engine }) => {
          const runtime = engine?.connectors.get(connector);
          if (!runtime) throw new Error(`no connector "${connector}" in the flows file`);
          const report = await runReconciliation(handle.db, {
            connectorName: connector,
            session: runtime.session,
            entity,
            ...(opts.remoteEntity && { remoteEntity: opts.remoteEntity }),
          });
          const run = await getReconRun(handle.db, report.id);
          if (opts.json)
            return printJson({
              run,
              differences: (await listReconDiffs(handle.db, report.id, {}, { limit: 500 })).data,
            });
          process.stdout.write(
            `run ${run.id}: ${run.status}; compared ${run.compared}, matching ${run.matching}, differences ${run.differences}` +
              `${run.accuracy === null ? '' : `, accuracy ${(run.accuracy * 100).toFixed(2)} %`}\n`,
          );
          for (const d of (await listReconDiffs(handle.db, report.id, {}, { limit: 50 })).data) {
            process.stdout.write(
              `  ${d.kind.padEnd(14)} ${d.key}${d.field ? `  ${d.field}: ours ${d.localValue ?? '∅'} / erp ${d.erpValue ?? '∅'}` : ''}\n`,
            );
          }
        });
      },
    );
}

import type { Command } from 'commander';
import { importOneFile } from '../../connectors/file-exchange/connector/inbound/index.js';
import { exchangeRootOf, quickstartConfig } from '../../demo/index.js';
import { configFrom, withStore } from '../context.js';

/** `fieldsync import <file>`: one inbound file now, exactly as the watched inbox would take it. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import one customers/items/stock-levels/price-lists/purchase-receipts file now (CSV, JSON Lines or XML)',
    )
    .argument('<file>', 'the file; its name says what it holds (customers*.csv, items*.jsonl, …)')
    .option(
      '--exchange-root <dir>',
      'exchange folder whose archive/ and quarantine/ receive the file (default <data dir>/exchange)',
    )
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, opts: { exchangeRoot?: string; json?: boolean }, command: Command) => {
      const config = quickstartConfig(configFrom(command));
      const root = opts.exchangeRoot ?? exchangeRootOf(config);
      const outcome = await withStore(config, (handle) => importOneFile({ db: handle.db, root, file }));
      if (opts.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      else {
        const lines = [
          `${outcome.fileName}: ${outcome.status}${outcome.kind ? ` (${outcome.kind}, ${outcome.format})` : ''}`,
        ];
        if (outcome.rowsRead !== undefined)
          lines.push(
            `  rows read ${outcome.rowsRead}, applied ${outcome.applied ?? 0}, rejected ${outcome.rejected ?? 0}`,
          );
        if (outcome.message) lines.push(`  ${outcome.message}`);
        if (outcome.movedTo) lines.push(`  moved to ${outcome.movedTo}`);
        if (outcome.rejectsFile) lines.push(`  rejected rows with reasons: ${outcome.rejectsFile}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (outcome.status === 'quarantined' || outcome.status === 'deferred') process.exitCode = 1;
    });
}

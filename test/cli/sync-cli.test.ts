import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptChildArgs } from '../support/typescript-child.js';

const entry = path.resolve('src/cli/run.ts');

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, typescriptChildArgs(entry, ...args), {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('fieldsync sync CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-sync-cli-'));
  const flowsFile = path.join(dir, 'flows.yaml');
  fs.writeFileSync(
    flowsFile,
    [
      'connectors:',
      '  erp: { type: noop, config: {} }',
      'flows:',
      '  - name: customers-out',
      '    direction: outbound',
      '    connector: erp',
      '    source: { kind: events, types: [customer.created] }',
      '    entity: customer',
      '    mapping:',
      '      fields:',
      '        name: { from: customer.name, owner: erp, required: true }',
      '        code: { from: customer.code, owner: erp }',
      '    target: { entity: customer, operation: upsert }',
      '',
    ].join('\n'),
  );
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.db')}`, FIELDSYNC_FLOWS_FILE: flowsFile };

  it('lists flows, prints a mapping table and reports status', () => {
    const flows = cli(['sync', 'flows'], env);
    expect(flows.code).toBe(0);
    expect(flows.stdout).toContain('customers-out (outbound): events customer.created → erp/customer.upsert');
    const mapping = cli(['sync', 'mapping', 'customers-out', '--format', 'markdown'], env);
    expect(mapping.code).toBe(0);
    expect(mapping.stdout).toMatch(/\| *name *\| *customer\.name *\|/);
    const status = cli(['sync', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      flows: [{ name: 'customers-out', pending: 0, dead: 0 }],
    });
  }, 120_000);

  it('refuses unknown flows and selector-less replays with a clear message', () => {
    const unknown = cli(['sync', 'mapping', 'nope'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no flow named "nope"');
    const replay = cli(['sync', 'dead-letters', 'replay'], env);
    expect(replay.code).not.toBe(0);
    expect(replay.stderr).toContain('--all');
    // An empty value is not "no filter" (that would be every dead letter): it is refused.
    const empty = cli(['sync', 'dead-letters', 'replay', '--flow', ''], env);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('--flow needs a value');
    const list = cli(['sync', 'dead-letters', 'list'], env);
    expect(list.stdout).toContain('no dead letters');
  }, 120_000);
});

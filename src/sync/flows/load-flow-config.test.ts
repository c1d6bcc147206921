import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors/index.js';
import { renderFlowMappingTable } from './flow-mapping-table.js';
import { loadFlowConfig, parseFlowConfigText, validateFlowConfig } from './load-flow-config.js';

const example = `
connectors:
  erp:
    type: test-erp
    config: { baseUrl: "http://127.0.0.1:8069", token: "t" }
lookups:
  costCenterByRegion: { north: CC-100, south: CC-200 }
flows:
  - name: work-order-hours
    direction: outbound
    connector: erp
    source: { kind: events, types: [work_order.completed] }
    entity: work_order
    mapping:
      fields:
        employee: { from: technician.erpCode, owner: erp, required: true }
        duration_minutes:
          from: laborHours
          owner: fieldsync
          transform: [{ unit: { from: h, to: min, factor: 60 } }]
        cost_center:
          from: site.region
          owner: erp
          transform: [{ lookup: { table: costCenterByRegion } }]
    target: { entity: timesheet, operation: create }
    batchSize: 100
    concurrency: 2
    retry: { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60000, jitter: full }
  - name: customers-in
    direction: inbound
    connector: erp
    source: { kind: pull, entity: customer, schedule: { everySeconds: 60 }, overlapSeconds: 120, pageSize: 100 }
    entity: customer
    mapping:
      fields:
        legalName: { from: name, owner: erp, required: true, transform: [trim] }
        notes: { from: comment, owner: shared, rule: latest-wins }
    target: { entity: customer, operation: upsert }
`;

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.details.problems as string[];
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('flow config loading', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fieldsync-flows-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a YAML file into compiled flows with defaults filled in', async () => {
    const file = join(dir, 'flows.yaml');
    await writeFile(file, example);
    const loaded = await loadFlowConfig(file);
    expect(loaded.flows.map((f) => f.name)).toEqual(['work-order-hours', 'customers-in']);
    const outbound = loaded.byName.get('work-order-hours');
    expect(outbound?.retry).toEqual({
      maxAttempts: 8,
      baseDelayMs: 500,
      maxDelayMs: 60000,
      jitter: 'full',
      authDelayMs: 60000,
      conflictMaxAttempts: 3,
    });
    expect(outbound?.connectorType).toBe('test-erp');
    expect(
      outbound?.compiledMapping.map({
        technician: { erpCode: 'E7' },
        laborHours: '1.25',
        site: { region: 'south' },
      }),
    ).toEqual({
      ok: true,
      value: { employee: 'E7', duration_minutes: '75', cost_center: 'CC-200' },
    });
    const inbound = loaded.byName.get('customers-in');
    expect(inbound?.enabled).toBe(true);
    expect(inbound?.source).toEqual({
      kind: 'pull',
      entity: 'customer',
      schedule: { everySeconds: 60 },
      overlapSeconds: 120,
      pageSize: 100,
    });
  });

  it('accepts the same config as JSON text and as an object', async () => {
    const object = (await loadFlowConfig(join(dir, 'flows.yaml'))).raw;
    const file = join(dir, 'flows.json');
    await writeFile(file, JSON.stringify(object));
    expect((await loadFlowConfig(file)).flows).toHaveLength(2);
    expect(validateFlowConfig(JSON.parse(JSON.stringify(object))).flows).toHaveLength(2);
  });

  it('fails with the exact path of every error, with file positions', () => {
    const broken = example
      .replace('table: costCenterByRegion', 'table: regions')
      .replace('batchSize: 100', 'batchSize: 500')
      .replace('operation: create', 'operation: post')
      .replace('name: customers-in', 'name: work-order-hours')
      .replace('entity: customer, schedule', 'entity: planet, schedule')
      .replace('rule: latest-wins', 'rule: loudest-wins');
    expect(problems(() => parseFlowConfigText(broken, { sourceName: 'flows.yaml' }))).toEqual([
      'flows[1].mapping.fields.notes.rule: Invalid option: expected one of "latest-wins"|"erp-wins-on-conflict"|"fieldsync-wins-on-conflict"|"manual" (flows.yaml:37:54)',
    ]);
    const fixedRule = broken.replace('rule: loudest-wins', 'rule: latest-wins');
    expect(problems(() => parseFlowConfigText(fixedRule, { sourceName: 'flows.yaml' }))).toEqual([
      'flows[0].mapping.fields.cost_center.transform[0].lookup.table: unknown lookup table "regions"; declared: costCenterByRegion (flows.yaml:24:42)',
      'flows[0].target.operation: connector "erp" (test-erp) does not support "post" on "timesheet"; supported: create, update, upsert, delete (flows.yaml:25:45)',
      'flows[0].batchSize: 500 exceeds maxBatchSize 200 of connector "erp" (test-erp) (flows.yaml:26:16)',
      'flows[1].name: duplicate flow name "work-order-hours" (also flows[0]) (flows.yaml:29:11)',
      'flows[1].source.entity: connector "erp" (test-erp) has no entity "planet"; entities: customer, item, stock_move, invoice, asset, timesheet (flows.yaml:32:35)',
    ]);
  });

  it('checks connector entries against the registry and their own config schema', () => {
    expect(
      problems(() =>
        validateFlowConfig({
          connectors: {
            erp: { type: 'sap', config: {} },
            'erp-2': { type: 'test-erp', config: { baseUrl: 'not a url', token: 't', extra: 1 } },
            'erp-3': { type: 'test-erp', config: {}, configRef: 'vault' },
          },
          flows: [
            {
              name: 'x',
              direction: 'outbound',
              connector: 'nope',
              source: { kind: 'pull', entity: 'customer', schedule: { everySeconds: 5 } },
              entity: 'work_order',
              mapping: { fields: { a: { from: 'a', owner: 'erp' } } },
              target: { entity: 'timesheet', operation: 'create' },
            },
          ],
        }),
      ),
    ).toEqual([
      'connectors.erp-3.config: give exactly one of config or configRef',
      'flows[0].source.kind: an outbound flow is fed by outbox events (kind: events)',
    ]);
    expect(
      problems(() =>
        validateFlowConfig({
          connectors: {
            erp: { type: 'sap', config: {} },
            'erp-2': { type: 'test-erp', config: { baseUrl: 'not a url', token: 't', extra: 1 } },
          },
          flows: [
            {
              name: 'x',
              direction: 'outbound',
              connector: 'nope',
              source: { kind: 'events', types: ['a.b'] },
              entity: 'work_order',
              mapping: { fields: { a: { from: 'a', owner: 'erp' } } },
              target: { entity: 'timesheet', operation: 'create' },
              concurrency: 64,
            },
          ],
        }),
      ),
    ).toEqual([
      'connectors.erp.type: unknown connector type "sap"; known: file-exchange, noop, test-erp, tryton',
      'connectors.erp-2.config.baseUrl: Invalid URL',
      'connectors.erp-2.config: Unrecognized key: "extra"',
      'flows[0].connector: unknown connector "nope"; declared: erp, erp-2',
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(
      problems(() => parseFlowConfigText('flows:\n  - name: a\n    name: b\n', { sourceName: 'f.yaml' })),
    ).toEqual(['(root): DUPLICATE_KEY: Map keys must be unique (f.yaml:3:5)']);
  });

  it('renders a printable mapping table per flow', async () => {
    const loaded = await loadFlowConfig(join(dir, 'flows.yaml'));
    const text = renderFlowMappingTable(
      loaded.byName.get('work-order-hours') as NonNullable<ReturnType<typeof loaded.byName.get>>,
    );
    expect(text.split('\n').slice(0, 1)).toEqual([
      'work-order-hours (outbound): events work_order.completed → erp/timesheet.create',
    ]);
    expect(text).toMatch(/cost_center\s+site\.region\s+lookup\(costCenterByRegion\)\s+erp\s+no\s+—/);
  });

  it('the example in docs/sync/flows.md loads', async () => {
    const page = await readFile(new URL('../../../docs/sync/flows.md', import.meta.url), 'utf8');
    const yaml = /<!-- flow-config-example -->\n```yaml\n([\s\S]*?)```/.exec(page)?.[1];
    expect(yaml).toBeDefined();
    const loaded = parseFlowConfigText(yaml as string, { sourceName: 'docs/sync/flows.md' });
    expect(loaded.flows.map((f) => [f.name, f.enabled])).toEqual([
      ['work-order-hours', true],
      ['customers-from-erp', false],
    ]);
    const mapped = loaded.byName.get('work-order-hours')?.compiledMapping.map({
      technician: { erpCode: ' E7 ' },
      laborHours: '2.5',
      site: { region: 'east' },
      laborCost: '100.00',
      number: 'WO-1',
    });
    expect(mapped).toEqual({
      ok: true,
      value: {
        employee: 'E7',
        duration_minutes: '150',
        cost_center: 'CC-300',
        amount_usd: '108.50',
        work_order_ref: 'WO-1',
      },
    });
  });

  it('an empty config is valid and has no flows', () => {
    expect(validateFlowConfig({}).flows).toEqual([]);
  });
});

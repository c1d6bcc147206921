import type { AnyConnector } from '../../connectors/sdk/index.js';
import { entityManifest } from '../../connectors/sdk/index.js';
import { compileParsedMapping } from '../mapping/index.js';
import type { CompiledMapping } from '../mapping/index.js';
import type { ConfigIssue } from './config-issues.js';
import type { FlowConfig, FlowDefinition } from './flow-schema.js';

export interface LoadedFlow extends FlowDefinition {
  connectorType: string;
  compiledMapping: CompiledMapping;
}

const list = (names: readonly string[]): string => (names.length === 0 ? '(none)' : names.join(', '));

/** Checks what the schema alone cannot: references between sections and against the registry. */
export function crossCheck(
  config: FlowConfig,
  registry: Readonly<Record<string, AnyConnector>>,
): { issues: ConfigIssue[]; flows: LoadedFlow[] } {
  const issues: ConfigIssue[] = [];
  const known = Object.keys(registry).sort();

  for (const [name, entry] of Object.entries(config.connectors)) {
    const connector = Object.hasOwn(registry, entry.type) ? registry[entry.type] : undefined;
    if (connector === undefined) {
      issues.push({
        path: ['connectors', name, 'type'],
        message: `unknown connector type "${entry.type}"; known: ${list(known)}`,
      });
    } else if (entry.config !== undefined) {
      const parsed = connector.configSchema.safeParse(entry.config);
      if (!parsed.success) {
        for (const i of parsed.error.issues)
          issues.push({
            path: [
              'connectors',
              name,
              'config',
              ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
            ],
            message: i.message,
          });
      }
    }
  }

  const firstByName = new Map<string, number>();
  const flows: LoadedFlow[] = [];
  config.flows.forEach((flow, index) => {
    const at = (...path: (string | number)[]): (string | number)[] => ['flows', index, ...path];
    const earlier = firstByName.get(flow.name);
    if (earlier !== undefined)
      issues.push({
        path: at('name'),
        message: `duplicate flow name "${flow.name}" (also flows[${earlier}])`,
      });
    else firstByName.set(flow.name, index);

    const compiled = compileParsedMapping(flow.mapping, config.lookups);
    if (!compiled.ok)
      for (const i of compiled.issues) issues.push({ path: at('mapping', ...i.path), message: i.message });

    const entry = Object.hasOwn(config.connectors, flow.connector)
      ? config.connectors[flow.connector]
      : undefined;
    if (entry === undefined) {
      issues.push({
        path: at('connector'),
        message: `unknown connector "${flow.connector}"; declared: ${list(Object.keys(config.connectors))}`,
      });
      return;
    }
    const connector = Object.hasOwn(registry, entry.type) ? registry[entry.type] : undefined;
    if (connector === undefined) return; // already reported under connectors
    const m = connector.manifest;
    const label = `connector "${flow.connector}" (${m.name})`;
    const entities = Object.keys(m.entities).filter((e) => e !== '*');

    if (flow.source.kind === 'pull') {
      const e = entityManifest(m, flow.source.entity);
      if (e === undefined)
        issues.push({
          path: at('source', 'entity'),
          message: `${label} has no entity "${flow.source.entity}"; entities: ${list(entities)}`,
        });
      else if (!e.operations.includes('readChanges'))
        issues.push({
          path: at('source', 'entity'),
          message: `${label} cannot read changes of "${flow.source.entity}"`,
        });
      if (flow.source.pageSize > m.maxBatchSize)
        issues.push({
          path: at('source', 'pageSize'),
          message: `${flow.source.pageSize} exceeds maxBatchSize ${m.maxBatchSize} of ${label}`,
        });
    }
    if (flow.direction === 'outbound') {
      const e = entityManifest(m, flow.target.entity);
      if (e === undefined)
        issues.push({
          path: at('target', 'entity'),
          message: `${label} has no entity "${flow.target.entity}"; entities: ${list(entities)}`,
        });
      else if (!e.operations.includes('writeBatch'))
        issues.push({
          path: at('target', 'entity'),
          message: `${label} cannot write "${flow.target.entity}"`,
        });
      else if (!e.writeOps.includes(flow.target.operation)) {
        issues.push({
          path: at('target', 'operation'),
          message: `${label} does not support "${flow.target.operation}" on "${flow.target.entity}"; supported: ${list(e.writeOps)}`,
        });
      }
    }
    if (flow.batchSize > m.maxBatchSize)
      issues.push({
        path: at('batchSize'),
        message: `${flow.batchSize} exceeds maxBatchSize ${m.maxBatchSize} of ${label}`,
      });
    if (flow.concurrency > m.maxConcurrency)
      issues.push({
        path: at('concurrency'),
        message: `${flow.concurrency} exceeds maxConcurrency ${m.maxConcurrency} of ${label}`,
      });
    if (compiled.ok) flows.push({ ...flow, connectorType: entry.type, compiledMapping: compiled.mapping });
  });
  return { issues, flows };
}

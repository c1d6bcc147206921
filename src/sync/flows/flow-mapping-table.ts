import { renderMappingTable } from '../mapping/index.js';
import type { MappingTableFormat } from '../mapping/index.js';
import type { FlowDefinition } from './flow-schema.js';

/** A one-line summary of where a flow reads and writes, used as the mapping table's title. */
export function describeFlow(flow: FlowDefinition): string {
  const from =
    flow.source.kind === 'events'
      ? `events ${flow.source.types.join(', ')}`
      : `pull ${flow.connector}/${flow.source.entity} every ${flow.source.schedule.everySeconds}s`;
  const to =
    flow.direction === 'outbound'
      ? `${flow.connector}/${flow.target.entity}.${flow.target.operation}`
      : `fieldsync/${flow.target.entity}.${flow.target.operation}`;
  return `${flow.name} (${flow.direction}${flow.enabled ? '' : ', disabled'}): ${from} → ${to}`;
}

/** The printable mapping of one flow, for `fieldsync flows mapping <name>` and the API. */
export function renderFlowMappingTable(flow: FlowDefinition, format: MappingTableFormat = 'text'): string {
  return renderMappingTable(flow.mapping, { format, title: describeFlow(flow) });
}

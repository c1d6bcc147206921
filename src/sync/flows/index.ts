export { flowConfigError, formatIssue, formatIssuePath } from './config-issues.js';
export type { ConfigIssue, IssuePath } from './config-issues.js';
export { crossCheck } from './cross-check.js';
export type { LoadedFlow } from './cross-check.js';
export { describeFlow, renderFlowMappingTable } from './flow-mapping-table.js';
export {
  connectorEntrySchema,
  eventsSourceSchema,
  flowConfigSchema,
  flowSchema,
  inboundOperations,
  pullSourceSchema,
} from './flow-schema.js';
export type {
  ConnectorEntry,
  EventsSource,
  FlowConfig,
  FlowConfigInput,
  FlowDefinition,
  PullSource,
} from './flow-schema.js';
export { loadFlowConfig, parseFlowConfigText, validateFlowConfig } from './load-flow-config.js';
export type { LoadOptions, LoadedFlowConfig } from './load-flow-config.js';

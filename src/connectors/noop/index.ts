export { noopConfigSchema, noopConnector } from './noop-connector.js';
export type { NoopConfig } from './noop-connector.js';

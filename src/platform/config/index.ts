export { configSchema, envBindings } from './config-schema.js';
export type { AppConfig } from './config-schema.js';
export { ConfigError, loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';

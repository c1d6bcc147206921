export { trytonConnector } from './tryton-connector.js';
export { TrytonConnectorSession } from './tryton-session.js';
export { trytonConfigSchema, trytonRefSchema } from './config.js';
export type { TrytonConnectorConfig, TrytonConnectorConfigInput, TrytonRef } from './config.js';
export { TRYTON_ENTITIES, TRYTON_MAX_BATCH, trytonManifest } from './manifest.js';
export type { TrytonEntity } from './manifest.js';
export { TAG_PREFIX, documentReference, masterReference, referenceTag } from './runtime/references.js';

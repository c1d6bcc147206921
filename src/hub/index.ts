export { moduleRouters } from './module-routes.js';
export { startHub } from './start-hub.js';
export type { Hub, StartHubOptions } from './start-hub.js';

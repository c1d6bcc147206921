export { syncRoutes } from './routes.js';
export { syncStatus } from './sync-status.js';
export type { FlowStatus, SyncStatus } from './sync-status.js';

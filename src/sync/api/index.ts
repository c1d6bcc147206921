export { conflictRoutes } from './conflict-routes.js';
export { observabilityRoutes } from './observability-routes.js';
export { reconcileRoutes } from './reconcile-routes.js';
export { syncRoutes } from './routes.js';
export { syncStatus } from './sync-status.js';
export type { FlowStatus, SyncStatus } from './sync-status.js';

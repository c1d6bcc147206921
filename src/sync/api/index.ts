export { conflictRoutes } from './conflict-routes.js';
export { historyRoutes } from './history-routes.js';
export { observabilityRoutes } from './observability-routes.js';
export { reconcileRoutes } from './reconcile-routes.js';
export { replayRoutes } from './replay-routes.js';
export { syncRoutes } from './routes.js';
export { syncStatus } from './sync-status.js';
export type { FlowStatus, SyncStatus } from './sync-status.js';

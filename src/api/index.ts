export type { ApiDeps, ApiEnv } from './api-env.js';
export { buildApp } from './build-app.js';
export type { BuildAppOptions } from './build-app.js';
export {
  decodeCursor,
  encodeCursor,
  etagFor,
  expectedVersion,
  idParam,
  pageOf,
  pageQuerySchema,
  problemResponses,
  problemSchema,
} from './http-helpers.js';
export { requireScope } from './middleware/authenticate.js';
export { createRouter } from './router.js';
export { serveHttp } from './serve-http.js';
export type { RunningServer } from './serve-http.js';
export { mountConsole } from './console/serve-console.js';
export { whoamiRoutes } from './whoami-routes.js';

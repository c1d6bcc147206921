import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../api/index.js';
import { customerRoutes } from '../modules/customers/index.js';
import { itemRoutes } from '../modules/items/index.js';

/** Every module's REST routes, mounted under /v1 in this order. */
export function moduleRouters(): OpenAPIHono<ApiEnv>[] {
  return [customerRoutes(), itemRoutes()];
}

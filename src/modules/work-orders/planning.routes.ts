import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import type { ApiEnv } from '../../api/index.js';
import { problemResponses, requireScope } from '../../api/index.js';
import { planningQuerySchema, planningView, planningViewSchema } from './planning.service.js';
import { json } from './route-kit.js';

export function registerPlanningRoutes(router: OpenAPIHono<ApiEnv>): void {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/planning',
      tags: ['planning'],
      summary: "A day's planned work by technician (filter by technician or region)",
      middleware: [requireScope('read')] as const,
      request: { query: planningQuerySchema },
      responses: { 200: { description: 'The day', ...json(planningViewSchema) }, ...problemResponses },
    }),
    async (c) => {
      const { includeCancelled, ...rest } = c.req.valid('query');
      return c.json(
        await planningView(c.get('deps').db, {
          ...rest,
          includeCancelled: includeCancelled ? 'true' : 'false',
        }),
        200,
      );
    },
  );
}

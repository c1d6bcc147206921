import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, problemResponses, requireScope } from '../../api/index.js';
import { listAlertStates } from '../alerts/index.js';
import { kpiSeries, KpiName } from '../kpis/index.js';

const tags = ['sync'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const anyObject = z.record(z.string(), z.unknown());

/** KPI time series for charts, and the alert rules' current state. */
export function observabilityRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/kpis',
      tags,
      summary: 'A KPI as a time series (e.g. inventory_accuracy, error_rate, latency_p95_ms, dead_letters)',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          name: z.enum(Object.values(KpiName) as [string, ...string[]]),
          scope: z.string().max(120).optional(),
          from: z.iso.datetime(),
          to: z.iso.datetime(),
          bucketSeconds: z.coerce.number().int().min(1).max(86_400).default(300),
          aggregate: z.enum(['avg', 'min', 'max', 'last']).optional(),
        }),
      },
      responses: {
        200: { description: 'Points, one per bucket (null when no sample)', ...json(anyObject) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        (await kpiSeries(c.get('deps').db, c.req.valid('query'))) as unknown as Record<string, unknown>,
        200,
      ),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/alerts',
      tags,
      summary: 'Alert rules and their state (ok, pending, firing)',
      middleware: [requireScope('read')] as const,
      responses: { 200: { description: 'Alert states', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => c.json({ data: await listAlertStates(c.get('deps').db) }, 200),
  );

  return router;
}

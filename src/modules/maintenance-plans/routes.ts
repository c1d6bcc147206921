import { createRoute, z } from '@hono/zod-openapi';
import {
  createRouter,
  decodeCursor,
  encodeCursor,
  etagFor,
  expectedVersion,
  idParam,
  pageOf,
  pageQuerySchema,
  problemResponses,
  requireScope,
} from '../../api/index.js';
import { forecastPlan } from './forecast.service.js';
import { generate } from './generate.service.js';
import { archivePlan, createPlan, getPlan, listOccurrences, listPlans, updatePlan } from './plan.service.js';
import {
  generateInputSchema,
  generateResultSchema,
  occurrenceSchema,
  planCreateSchema,
  planListQuerySchema,
  planPatchSchema,
  planSchema,
} from './schemas.js';

const tags = ['maintenance-plans'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The plan', ...json(planSchema) }, ...problemResponses };
const forecastQuery = z.object({
  horizonDays: z.coerce.number().int().min(0).max(731).default(90),
  asOf: z.iso.date().optional(),
});
const forecastSchema = z
  .object({
    asOf: z.string(),
    until: z.string(),
    due: z.array(
      z.object({
        planId: z.string(),
        assetId: z.string(),
        dueDate: z.string(),
        dueKey: z.string(),
        generated: z.boolean(),
      }),
    ),
    skipped: generateResultSchema.shape.skipped,
  })
  .openapi('MaintenanceForecast');

export function maintenancePlanRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/maintenance-plans',
      tags,
      summary: 'Create a maintenance plan (per asset or per contract; calendar or meter interval)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(planCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(planSchema) }, ...problemResponses },
    }),
    async (c) => {
      const plan = await createPlan(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(plan.version));
      c.header('location', `/v1/maintenance-plans/${plan.id}`);
      return c.json(plan, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/maintenance-plans/generate',
      tags,
      summary: 'Generate the preventive work orders due over a horizon (idempotent)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(generateInputSchema) } },
      responses: {
        200: { description: 'What was created and skipped', ...json(generateResultSchema) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await generate(c.get('deps').db, c.req.valid('json')), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance-plans',
      tags,
      summary: 'List maintenance plans',
      middleware: [requireScope('read')] as const,
      request: { query: planListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(planSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listPlans(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance-plans/{id}',
      tags,
      summary: 'Read a maintenance plan',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const plan = await getPlan(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(plan.version));
      return c.json(plan, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/maintenance-plans/{id}',
      tags,
      summary: 'Change a plan (applies to occurrences generated from now on); pause with status',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(planPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const plan = await updatePlan(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(plan.version));
      return c.json(plan, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/maintenance-plans/{id}/archive',
      tags,
      summary: 'Archive a plan (generates nothing more)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const plan = await archivePlan(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(plan.version));
      return c.json(plan, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance-plans/{id}/occurrences',
      tags,
      summary: 'Occurrences that produced work orders',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: {
        200: { description: 'Occurrences', ...json(z.object({ data: z.array(occurrenceSchema) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ data: await listOccurrences(c.get('deps').db, c.req.valid('param').id) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance-plans/{id}/forecast',
      tags,
      summary: 'What generation would create over a horizon, without writing',
      middleware: [requireScope('read')] as const,
      request: { params: idParam, query: forecastQuery },
      responses: { 200: { description: 'Due occurrences', ...json(forecastSchema) }, ...problemResponses },
    }),
    async (c) => {
      const { horizonDays, asOf } = c.req.valid('query');
      return c.json(
        await forecastPlan(c.get('deps').db, c.req.valid('param').id, {
          horizonDays,
          ...(asOf !== undefined && { asOf }),
        }),
        200,
      );
    },
  );

  return router;
}

import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, pageOf, problemResponses, requireScope } from '../../api/index.js';
import { errors } from '../../shared/errors/index.js';
import {
  conflictListQuerySchema,
  conflictResolveSchema,
  conflictSchema,
  getConflict,
  listConflicts,
  resolveConflict,
} from '../conflicts/index.js';
import { listPullErrors } from '../pull/index.js';

const tags = ['sync'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const anyObject = z.record(z.string(), z.unknown());
const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const flowParam = z.object({
  name: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'name', in: 'path' } }),
});

/** Conflicts (list, inspect, resolve) and incremental pulls (status, run now, set-aside records). */
export function conflictRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/conflicts',
      tags,
      summary: 'Conflicts: both values side by side with the field owner',
      middleware: [requireScope('read')] as const,
      request: {
        query: conflictListQuerySchema.extend({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(100).optional(),
        }),
      },
      responses: { 200: { description: 'A page', ...json(pageOf(conflictSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listConflicts(c.get('deps').db, filter, {
        limit,
        ...(cursor && { afterId: cursor }),
      });
      return c.json({ data: page.data, nextCursor: page.nextAfterId }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/conflicts/{id}',
      tags,
      summary: 'One conflict',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'The conflict', ...json(conflictSchema) }, ...problemResponses },
    }),
    async (c) => c.json(await getConflict(c.get('deps').db, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync/conflicts/{id}/resolve',
      tags,
      summary: 'Resolve: take the ERP value, keep ours (it flows out), or set an edited value',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(conflictResolveSchema) } },
      responses: {
        200: { description: 'The resolved conflict', ...json(conflictSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const resolved = await resolveConflict(c.get('deps').db, c.req.valid('param').id, c.req.valid('json'), {
        actor: `token:${c.get('principal').name}`,
      });
      c.get('deps').sync?.dispatcher.nudge();
      return c.json(resolved, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/pulls',
      tags,
      summary: 'Incremental pull status per inbound flow (cursor, last run, last success, errors)',
      middleware: [requireScope('read')] as const,
      responses: { 200: { description: 'Pull status', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const pulls = c.get('deps').sync?.pulls;
      return c.json({ data: pulls ? await pulls.status() : [] }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync/pulls/{name}/run',
      tags,
      summary: 'Run an inbound flow now (optionally from the start, or retrying set-aside records)',
      middleware: [requireScope('admin')] as const,
      request: {
        params: flowParam,
        body: {
          required: false,
          ...json(z.strictObject({ rewind: z.enum(['start', 'pull_errors']).optional() })),
        },
      },
      responses: { 200: { description: 'What the run did', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const pulls = c.get('deps').sync?.pulls;
      if (!pulls) throw errors.notFound('inbound flow', c.req.valid('param').name);
      const body = c.req.valid('json') as { rewind?: 'start' | 'pull_errors' } | undefined;
      const result = await pulls.runOnce(
        c.req.valid('param').name,
        body?.rewind ? { rewind: body.rewind } : {},
      );
      return c.json(result as unknown as Record<string, unknown>, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/pull-errors',
      tags,
      summary: 'Pulled records set aside because they failed mapping or a domain rule',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          flow: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
      responses: { 200: { description: 'A page', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const { flow, limit } = c.req.valid('query');
      const page = await listPullErrors(c.get('deps').db, flow ? { flow } : {}, { limit });
      return c.json({ data: page.data, nextCursor: page.nextAfterId ?? null }, 200);
    },
  );

  return router;
}

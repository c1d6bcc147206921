import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, problemResponses, requireScope } from '../../api/index.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import {
  diffKinds,
  getReconRun,
  listReconDiffs,
  listReconRuns,
  postCorrections,
  runReconciliation,
} from '../reconcile/index.js';

const tags = ['sync'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const anyObject = z.record(z.string(), z.unknown());
const runIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/**
 * Reconciliation runs are long: POST starts one in the background and answers 202 with its id; the run
 * row carries progress counters that GET reads while it runs.
 */
export function reconcileRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync/reconciliations',
      tags,
      summary: 'Start a reconciliation of one entity against one connector (runs in the background)',
      middleware: [requireScope('admin')] as const,
      request: {
        body: {
          required: true,
          ...json(
            z.strictObject({
              connector: z.string().min(1).max(100),
              entity: z.enum(['customer', 'item', 'stock', 'billing_document']),
              remoteEntity: z.string().min(1).max(100).optional(),
            }),
          ),
        },
      },
      responses: {
        202: { description: 'Started', ...json(z.object({ id: z.string(), status: z.string() })) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { connector, entity, remoteEntity } = c.req.valid('json');
      const { db, sync, logger } = c.get('deps');
      const runtime = sync?.connectors.get(connector);
      if (!runtime) throw errors.notFound('connector', connector);
      const runId = newId();
      const run = runReconciliation(db, {
        runId,
        connectorName: connector,
        session: runtime.session,
        entity,
        ...(remoteEntity && { remoteEntity }),
      });
      run.catch((error: unknown) => logger.error({ err: error, runId }, 'reconciliation failed'));
      // Validation errors surface before the run row exists: give them to the caller, not the log.
      const early = await Promise.race([
        run.then(
          () => null,
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r(null), 50)),
      ]);
      if (early) {
        const exists = await getReconRun(db, runId).then(
          () => true,
          () => false,
        );
        if (!exists) throw early;
      }
      c.header('location', `/v1/sync/reconciliations/${runId}`);
      return c.json({ id: runId, status: 'running' }, 202);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/reconciliations',
      tags,
      summary: 'Reconciliation runs, newest first',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          connector: z.string().optional(),
          entity: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
          after: z.string().optional(),
        }),
      },
      responses: { 200: { description: 'Runs', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, after, ...filter } = c.req.valid('query');
      const page = await listReconRuns(c.get('deps').db, filter, { limit, ...(after && { afterId: after }) });
      return c.json({ data: page.data, nextCursor: page.nextAfterId }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/reconciliations/{id}',
      tags,
      summary: 'One run: status, progress counters, accuracy, differences by kind',
      middleware: [requireScope('read')] as const,
      request: { params: runIdParam },
      responses: { 200: { description: 'The run', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => c.json(await getReconRun(c.get('deps').db, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/reconciliations/{id}/differences',
      tags,
      summary: "A run's differences, by kind",
      middleware: [requireScope('read')] as const,
      request: {
        params: runIdParam,
        query: z.object({
          kind: z.enum(diffKinds).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          after: z.coerce.number().int().min(0).optional(),
        }),
      },
      responses: { 200: { description: 'Differences', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const { kind, limit, after } = c.req.valid('query');
      const page = await listReconDiffs(c.get('deps').db, c.req.valid('param').id, kind ? { kind } : {}, {
        limit,
        ...(after !== undefined && { afterId: after }),
      });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId === null ? null : String(page.nextAfterId) },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync/reconciliations/{id}/corrections',
      tags,
      summary: 'Post corrections through the normal flows (dry run unless apply is true)',
      middleware: [requireScope('admin')] as const,
      request: {
        params: runIdParam,
        body: {
          required: true,
          ...json(
            z.strictObject({
              kinds: z.array(z.enum(diffKinds)).optional(),
              apply: z.boolean().default(false),
            }),
          ),
        },
      },
      responses: {
        200: { description: 'What was (or would be) corrected', ...json(anyObject) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const report = await postCorrections(c.get('deps').db, c.req.valid('param').id, {
        apply: body.apply,
        ...(body.kinds && { kinds: body.kinds }),
      });
      c.get('deps').sync?.dispatcher.nudge();
      return c.json(report as unknown as Record<string, unknown>, 200);
    },
  );

  return router;
}

import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, problemResponses, requireScope } from '../../api/index.js';
import { getReplay, listReplays } from '../replay/index.js';

const tags = ['sync'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });

export const replayProgressSchema = z
  .object({
    id: z.string(),
    requestedBy: z.string(),
    selector: z.record(z.string(), z.unknown()).openapi({ description: 'The ids or filter as requested' }),
    createdAt: z.string(),
    total: z.number().int().openapi({ description: 'Dead letters this replay put back in the queue' }),
    delivered: z.number().int(),
    pending: z.number().int().openapi({ description: 'Queued or being sent' }),
    dead: z.number().int().openapi({ description: 'Refused again: the cause is not fixed yet' }),
    finished: z.boolean().openapi({ description: 'Nothing of this replay is pending any more' }),
    finishedAt: z.string().nullable().openapi({
      description:
        'When it was first seen finished; its figures are final from then on (a letter replayed again later counts in that later replay)',
    }),
    stillDead: z.array(
      z.object({
        id: z.number().int(),
        flow: z.string(),
        eventType: z.string(),
        subject: z.string(),
        errorClass: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .openapi('ReplayProgress');

const replayIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/**
 * A bulk replay runs in the dispatcher, not in the request: POST /sync/dead-letters/replay answers with
 * a replay id at once, and these routes report how far its letters got, for as long as anyone looks.
 */
export function replayRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/replays',
      tags,
      summary: 'Replays of dead letters, newest first, each with its progress',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          before: z.string().max(64).optional().openapi({ description: 'nextCursor of the previous page' }),
        }),
      },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ data: z.array(replayProgressSchema), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, before } = c.req.valid('query');
      const page = await listReplays(c.get('deps').db, { limit, ...(before && { beforeId: before }) });
      return c.json({ data: page.data, nextCursor: page.nextBeforeId }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/replays/{id}',
      tags,
      summary: 'One replay: delivered, still pending and dead-again counts, and the letters dead again',
      middleware: [requireScope('read')] as const,
      request: { params: replayIdParam },
      responses: { 200: { description: 'The replay', ...json(replayProgressSchema) }, ...problemResponses },
    }),
    async (c) => c.json(await getReplay(c.get('deps').db, c.req.valid('param').id), 200),
  );

  return router;
}

import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, pageOf, problemResponses, requireScope } from '../../api/index.js';
import { readEvents } from '../../platform/outbox/index.js';
import { AppError, errors } from '../../shared/errors/index.js';
import { attemptsOf, listDeadLetters } from '../delivery/index.js';
import { renderFlowMappingTable } from '../flows/index.js';
import { mappingTableRows } from '../mapping/index.js';
import { startReplay } from '../replay/index.js';
import { syncStatus } from './sync-status.js';

const tags = ['sync'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const anyObject = z.record(z.string(), z.unknown());

const errorClasses = [
  'transient',
  'rate_limited',
  'auth',
  'not_found',
  'validation',
  'conflict',
  'cursor_invalid',
  'unclassified',
] as const;

const deadLetterFilter = z.object({
  flow: z.string().min(1).max(100).optional(),
  entity: z.string().min(1).max(60).optional().openapi({ description: 'Event entity, e.g. "customer"' }),
  errorClass: z.enum(errorClasses).optional(),
  olderThan: z.iso.datetime().optional(),
});

const deadLetterSchema = z
  .object({
    id: z.number().int(),
    flow: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    subject: z.string(),
    sequence: z.number().int(),
    eventTime: z.string(),
    attempts: z.number().int(),
    errorClass: z.string().nullable(),
    error: z.string().nullable(),
    mappedRequest: z.unknown(),
    idempotencyKey: z.string(),
  })
  .openapi('DeadLetter');

// Every selector names something: an empty list or string is refused, never read as "no filter", since
// a replay without a filter is a replay of every dead letter (the console once sent `ids: []` for an
// empty selection). Only `all: true` replays everything.
const replaySchema = z
  .strictObject({
    ids: z
      .array(z.number().int().positive())
      .min(1, 'name at least one dead letter id (omit ids to select by filter)')
      .max(10_000)
      .optional(),
    flow: z.string().min(1, 'a flow name, or leave flow out').max(100).optional(),
    entity: z.string().min(1, 'an event entity such as customer, or leave entity out').max(60).optional(),
    errorClass: z.enum(errorClasses).optional(),
    olderThan: z.iso.datetime().optional(),
    all: z
      .boolean()
      .optional()
      .openapi({ description: 'Replay every dead letter; required when no other selector is given' }),
  })
  .openapi('ReplayRequest');

export function syncRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/status',
      tags,
      summary: 'Backlog, lag and circuit state per flow and connector',
      middleware: [requireScope('read')] as const,
      responses: { 200: { description: 'Status', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => c.json(await syncStatus(c.get('deps').db, c.get('deps').sync), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/flows/{name}/mapping',
      tags,
      summary: "A flow's mapping table (documentation by construction)",
      middleware: [requireScope('read')] as const,
      request: {
        params: z.object({
          name: z
            .string()
            .max(100)
            .openapi({ param: { name: 'name', in: 'path' } }),
        }),
        query: z.object({ format: z.enum(['json', 'markdown', 'text']).default('json') }),
      },
      responses: {
        200: {
          description: 'The mapping table',
          content: {
            'application/json': { schema: anyObject },
            'text/plain': { schema: z.string() },
            'text/markdown': { schema: z.string() },
          },
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { format } = c.req.valid('query');
      const flow = c.get('deps').sync?.flowConfig.byName.get(name);
      if (!flow) throw errors.notFound('flow', name);
      if (format === 'json') return c.json({ flow: name, rows: mappingTableRows(flow.mapping) }, 200);
      const type = format === 'markdown' ? 'text/markdown; charset=utf-8' : 'text/plain; charset=utf-8';
      return c.text(renderFlowMappingTable(flow, format), 200, { 'content-type': type });
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/dead-letters',
      tags,
      summary: 'Dead letters, filtered by flow, entity, error class and age',
      middleware: [requireScope('read')] as const,
      request: {
        query: deadLetterFilter.extend({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          after: z.coerce
            .number()
            .int()
            .min(0)
            .optional()
            .openapi({ description: 'nextAfter of the previous page' }),
        }),
      },
      responses: { 200: { description: 'A page', ...json(pageOf(deadLetterSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, after, ...filter } = c.req.valid('query');
      const page = await listDeadLetters(c.get('deps').db, filter, { limit, afterId: after });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId === null ? null : String(page.nextAfterId) },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/dead-letters/{id}',
      tags,
      summary: 'One dead letter with its event payload, mapped request and every attempt',
      middleware: [requireScope('read')] as const,
      request: {
        params: z.object({
          id: z.coerce
            .number()
            .int()
            .positive()
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: { 200: { description: 'The dead letter', ...json(anyObject) }, ...problemResponses },
    }),
    async (c) => {
      const { db } = c.get('deps');
      const id = c.req.valid('param').id;
      const letter = (await listDeadLetters(db, { ids: [id] }, { limit: 1 })).data[0];
      if (!letter) throw errors.notFound('dead letter', String(id));
      const [event] = await readEvents(db, { ids: [letter.eventId] });
      const attempts = await attemptsOf(db, id);
      return c.json({ ...letter, event: event ?? null, attempts }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync/dead-letters/replay',
      tags,
      summary: 'Replay dead letters by ids or filter (idempotent: replaying twice changes nothing more)',
      description:
        'Answers at once; the dispatcher delivers in the background. Follow the outcome with ' +
        'GET /v1/sync/replays/{replayId} (also in the Location header).',
      middleware: [requireScope('admin')] as const,
      request: { body: { required: true, ...json(replaySchema) } },
      responses: {
        200: {
          description: 'How many went back to the queue, and the replay to follow (null when none matched)',
          ...json(z.object({ replayed: z.number().int(), replayId: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { all, ...filter } = c.req.valid('json');
      const hasSelector = Object.values(filter).some((v) => v !== undefined);
      if (!hasSelector && all !== true) {
        throw new AppError(
          'validation',
          'name ids or a filter, or set "all": true to replay every dead letter',
          {
            issues: [{ path: ['all'], message: 'required when no selector is given' }],
          },
        );
      }
      const { replayId, replayed } = await startReplay(c.get('deps').db, {
        selector: c.req.valid('json'),
        requestedBy: `token:${c.get('principal').name}`,
      });
      c.get('deps').sync?.dispatcher.nudge();
      if (replayId !== null) c.header('location', `/v1/sync/replays/${replayId}`);
      return c.json({ replayed, replayId }, 200);
    },
  );

  return router;
}

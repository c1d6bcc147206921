import { createRoute } from '@hono/zod-openapi';
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
import {
  cycleCountCreateSchema,
  cycleCountListQuerySchema,
  cycleCountSchema,
} from './cycle-count.schemas.js';
import {
  cancelCycleCount,
  createCycleCount,
  getCycleCount,
  listCycleCounts,
  postCycleCount,
} from './cycle-count.service.js';

const tags = ['cycle counts'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The cycle count', ...json(cycleCountSchema) }, ...problemResponses };
const createBody = cycleCountCreateSchema.omit({ createdBy: true }).openapi('CycleCountPost');

export function cycleCountRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/cycle-counts',
      tags,
      summary: 'Record a count (draft): counted vs. on-hand at count time',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(createBody) } },
      responses: { 201: { description: 'Created', ...json(cycleCountSchema) }, ...problemResponses },
    }),
    async (c) => {
      const count = await createCycleCount(c.get('deps').db, {
        ...c.req.valid('json'),
        createdBy: `token:${c.get('principal').name}`,
      });
      c.header('etag', etagFor(count.version));
      c.header('location', `/v1/cycle-counts/${count.id}`);
      return c.json(count, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/cycle-counts',
      tags,
      summary: 'List cycle counts',
      middleware: [requireScope('read')] as const,
      request: { query: cycleCountListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(cycleCountSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listCycleCounts(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/cycle-counts/{id}',
      tags,
      summary: 'Read a cycle count',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const count = await getCycleCount(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(count.version));
      return c.json(count, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/cycle-counts/{id}/post',
      tags,
      summary: 'Post the adjustments of a draft count (a second post is a 409)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const count = await postCycleCount(c.get('deps').db, c.req.valid('param').id, {
        createdBy: `token:${c.get('principal').name}`,
        expectedVersion: expectedVersion(c),
      });
      c.header('etag', etagFor(count.version));
      return c.json(count, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/cycle-counts/{id}/cancel',
      tags,
      summary: 'Cancel a draft count (nothing is posted)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const count = await cancelCycleCount(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(count.version));
      return c.json(count, 200);
    },
  );

  return router;
}

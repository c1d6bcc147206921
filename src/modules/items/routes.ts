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
import { itemCreateSchema, itemListQuerySchema, itemPatchSchema, itemSchema } from './schemas.js';
import { archiveItem, createItem, getItem, listItems, updateItem } from './service.js';

const tags = ['items'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The item', ...json(itemSchema) }, ...problemResponses };

export function itemRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/items',
      tags,
      summary: 'Create an item (SKU unique)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(itemCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(itemSchema) }, ...problemResponses },
    }),
    async (c) => {
      const item = await createItem(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(item.version));
      c.header('location', `/v1/items/${item.id}`);
      return c.json(item, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/items',
      tags,
      summary: 'List items (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: itemListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(itemSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listItems(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/items/{id}',
      tags,
      summary: 'Read an item',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const item = await getItem(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(item.version));
      return c.json(item, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/items/{id}',
      tags,
      summary: 'Update an item (If-Match for optimistic concurrency)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(itemPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const item = await updateItem(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(item.version));
      return c.json(item, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/items/{id}/archive',
      tags,
      summary: 'Archive an item',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const item = await archiveItem(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(item.version));
      return c.json(item, 200);
    },
  );

  return router;
}

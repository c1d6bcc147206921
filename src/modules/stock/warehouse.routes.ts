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
  warehouseCreateSchema,
  warehouseListQuerySchema,
  warehousePatchSchema,
  warehouseSchema,
} from './warehouse.schemas.js';
import {
  archiveWarehouse,
  createWarehouse,
  getWarehouse,
  listWarehouses,
  updateWarehouse,
} from './warehouse.service.js';

const tags = ['warehouses'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The warehouse', ...json(warehouseSchema) }, ...problemResponses };

export function warehouseRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/warehouses',
      tags,
      summary: 'Create a warehouse (central, regional or technician van; code unique)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(warehouseCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(warehouseSchema) }, ...problemResponses },
    }),
    async (c) => {
      const warehouse = await createWarehouse(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(warehouse.version));
      c.header('location', `/v1/warehouses/${warehouse.id}`);
      return c.json(warehouse, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/warehouses',
      tags,
      summary: 'List warehouses (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: warehouseListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(warehouseSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listWarehouses(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/warehouses/{id}',
      tags,
      summary: 'Read a warehouse',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const warehouse = await getWarehouse(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(warehouse.version));
      return c.json(warehouse, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/warehouses/{id}',
      tags,
      summary: 'Update a warehouse (If-Match for optimistic concurrency)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(warehousePatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const warehouse = await updateWarehouse(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(warehouse.version));
      return c.json(warehouse, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/warehouses/{id}/archive',
      tags,
      summary: 'Archive a warehouse (it must hold no stock)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const warehouse = await archiveWarehouse(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(warehouse.version));
      return c.json(warehouse, 200);
    },
  );

  return router;
}

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
import {
  priceListCreateSchema,
  priceListPatchSchema,
  priceListQuerySchema,
  priceListSchema,
  resolvedPriceListsSchema,
} from './price-list-schemas.js';
import { getPriceList, listPriceLists, resolvePriceLists } from './price-list-read.service.js';
import { createPriceList, updatePriceList } from './price-list.service.js';

const tags = ['price lists'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The price list', ...json(priceListSchema) }, ...problemResponses };

export function priceListRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/price-lists',
      tags,
      summary: 'Create a price list (default, customer-specific, or plain for contracts)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(priceListCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(priceListSchema) }, ...problemResponses },
    }),
    async (c) => {
      const list = await createPriceList(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(list.version));
      c.header('location', `/v1/price-lists/${list.id}`);
      return c.json(list, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/price-lists',
      tags,
      summary: 'List price lists (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: priceListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(priceListSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listPriceLists(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  // Registered before /price-lists/{id} so "resolve" is never taken for an id.
  router.openapi(
    createRoute({
      method: 'get',
      path: '/price-lists/resolve',
      tags,
      summary: "The customer's own list and the default list in force on a date",
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          customerId: z.string().min(1).max(64),
          date: z.iso.date(),
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/)
            .optional(),
        }),
      },
      responses: {
        200: { description: 'The lists', ...json(resolvedPriceListsSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { customerId, date, currency } = c.req.valid('query');
      return c.json(await resolvePriceLists(c.get('deps').db, customerId, date, { currency }), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/price-lists/{id}',
      tags,
      summary: 'Read a price list',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const list = await getPriceList(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(list.version));
      return c.json(list, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/price-lists/{id}',
      tags,
      summary: 'Update a price list; price maps merge and null removes a line (If-Match)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(priceListPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const list = await updatePriceList(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(list.version));
      return c.json(list, 200);
    },
  );

  return router;
}

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
import { createAsset, getAsset, listAssets, updateAsset } from './asset.service.js';
import { addLifecycleRoutes } from './lifecycle-routes.js';
import { assetCreateSchema, assetListQuerySchema, assetPatchSchema, assetSchema } from './schemas.js';

const tags = ['assets'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The asset', ...json(assetSchema) }, ...problemResponses };

export function assetRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/assets',
      tags,
      summary: 'Register an asset (serial number unique per item)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(assetCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(assetSchema) }, ...problemResponses },
    }),
    async (c) => {
      const asset = await createAsset(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(asset.version));
      c.header('location', `/v1/assets/${asset.id}`);
      return c.json(asset, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/assets',
      tags,
      summary: 'List assets (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: assetListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(assetSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listAssets(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}',
      tags,
      summary: 'Read an asset',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const asset = await getAsset(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(asset.version));
      return c.json(asset, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/assets/{id}',
      tags,
      summary: 'Update descriptive fields (If-Match); location and cost center change through /move',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(assetPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const asset = await updateAsset(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(asset.version));
      return c.json(asset, 200);
    },
  );

  addLifecycleRoutes(router);
  return router;
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiEnv } from '../../api/index.js';
import {
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
import { getAsset } from './asset.service.js';
import { todayUtc } from './asset-kit.js';
import { getAssetHistory } from './history.service.js';
import {
  assetDisposeSchema,
  assetHistorySchema,
  assetMoveSchema,
  assetTransitionSchema,
  meterReadingInputSchema,
  meterReadingSchema,
  moveResultSchema,
} from './lifecycle-schemas.js';
import { disposeAsset, transitionAsset } from './lifecycle.service.js';
import { listMeterReadings, recordMeterReading } from './meter.service.js';
import { moveAsset } from './move.service.js';
import { assetSchema, warrantyStatusSchema } from './schemas.js';
import { warrantyStatus } from './warranty.js';

const tags = ['assets'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The asset after the change', ...json(assetSchema) }, ...problemResponses };

/** Lifecycle, moves, meter readings and history: each a step with its own event. */
export function addLifecycleRoutes(router: OpenAPIHono<ApiEnv>): void {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/assets/{id}/transition',
      tags,
      summary: 'Step the lifecycle to installed or in_service (409 lists allowed transitions)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(assetTransitionSchema) } },
      responses: one,
    }),
    async (c) => {
      const asset = await transitionAsset(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(asset.version));
      return c.json(asset, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/assets/{id}/move',
      tags,
      summary: 'Move to another site, customer or cost center (components move along)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(assetMoveSchema) } },
      responses: {
        200: { description: 'The moved asset and every move record written', ...json(moveResultSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const result = await moveAsset(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(result.asset.version));
      return c.json(result, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/assets/{id}/dispose',
      tags,
      summary: 'Dispose of an asset (final)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(assetDisposeSchema) } },
      responses: one,
    }),
    async (c) => {
      const asset = await disposeAsset(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(asset.version));
      return c.json(asset, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/assets/{id}/meter-readings',
      tags,
      summary: 'Record a running-hours reading (never lower than the previous unless meterReplaced)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(meterReadingInputSchema) } },
      responses: { 201: { description: 'Recorded', ...json(meterReadingSchema) }, ...problemResponses },
    }),
    async (c) =>
      c.json(await recordMeterReading(c.get('deps').db, c.req.valid('param').id, c.req.valid('json')), 201),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/meter-readings',
      tags,
      summary: 'Meter readings, oldest first (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { params: idParam, query: z.object(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(meterReadingSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await listMeterReadings(c.get('deps').db, c.req.valid('param').id, {
        limit,
        afterId: decodeCursor(cursor),
      });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/history',
      tags,
      summary: 'Status changes, moves and meter readings in order',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'The history', ...json(assetHistorySchema) }, ...problemResponses },
    }),
    async (c) => c.json(await getAssetHistory(c.get('deps').db, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/assets/{id}/warranty',
      tags,
      summary: 'Parts and labor warranty on a date (default today)',
      middleware: [requireScope('read')] as const,
      request: { params: idParam, query: z.object({ date: z.iso.date().optional() }) },
      responses: {
        200: { description: 'Warranty status', ...json(warrantyStatusSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const asset = await getAsset(c.get('deps').db, c.req.valid('param').id);
      return c.json(warrantyStatus(asset, c.req.valid('query').date ?? todayUtc()), 200);
    },
  );
}

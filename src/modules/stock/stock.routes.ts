import { createRoute, z } from '@hono/zod-openapi';
import {
  createRouter,
  decodeCursor,
  encodeCursor,
  idParam,
  pageOf,
  pageQuerySchema,
  problemResponses,
  requireScope,
} from '../../api/index.js';
import { errors } from '../../shared/errors/index.js';
import type { MovementPost, StockMovement } from './movement.schemas.js';
import {
  movementListQuerySchema,
  movementPostSchema,
  movementSchema,
  onHandQuerySchema,
  onHandSchema,
  serialListQuerySchema,
  serialSchema,
} from './movement.schemas.js';
import type { Executor } from '../../platform/outbox/index.js';
import {
  assertDateOrder,
  getMovement,
  listMovements,
  postAdjustment,
  postReceipt,
  transferStock,
} from './movement.service.js';
import { listOnHand, listSerials, verifyLedgerConsistency } from './on-hand.service.js';

const tags = ['stock'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const postingSchema = z.object({ movements: z.array(movementSchema) }).openapi('StockPosting');

/** Composite keyset cursors: the last row's two sort columns, JSON-encoded. */
function encodePair(a: string, b: string): string {
  return encodeCursor(JSON.stringify([a, b]));
}
function decodePair(cursor: string | undefined): [string, string] | undefined {
  const raw = decodeCursor(cursor);
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return [value[0] as string, value[1] as string];
  } catch {
    // falls through to the 400 below
  }
  throw errors.validation('cursor is not one this API returned', [
    { path: ['query', 'cursor'], message: 'invalid cursor' },
  ]);
}

async function post(db: Executor, body: MovementPost, createdBy: string): Promise<StockMovement[]> {
  switch (body.kind) {
    case 'receipt': {
      const { kind: _kind, ...input } = body;
      return [await postReceipt(db, { ...input, createdBy })];
    }
    case 'transfer': {
      const { kind: _kind, ...input } = body;
      const transfer = await transferStock(db, { ...input, createdBy });
      return [transfer.out, transfer.in];
    }
    case 'adjustment': {
      const { kind: _kind, ...input } = body;
      return [await postAdjustment(db, { ...input, createdBy })];
    }
  }
}

export function stockRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/stock/movements',
      tags,
      summary: 'Post a receipt, a transfer (two movements) or an adjustment',
      description:
        'Issues to and returns from work orders are posted by the work-orders module and only listed here. ' +
        'Insufficient stock is a 409 with itemId, warehouseId, available and requested; nothing is posted.',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(movementPostSchema) } },
      responses: {
        201: {
          description: 'Posted (or the original, for a replayed idempotencyKey)',
          ...json(postingSchema),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const movements = await post(c.get('deps').db, c.req.valid('json'), `token:${c.get('principal').name}`);
      return c.json({ movements }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/stock/movements',
      tags,
      summary: 'List ledger movements (filters; from must not be after to)',
      middleware: [requireScope('read')] as const,
      request: { query: movementListQuerySchema.extend(pageQuerySchema) },
      responses: {
        200: { description: 'A page, in ledger order', ...json(pageOf(movementSchema)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      assertDateOrder(filter, ['query']);
      const page = await listMovements(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/stock/movements/{id}',
      tags,
      summary: 'Read one movement',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'The movement', ...json(movementSchema) }, ...problemResponses },
    }),
    async (c) => c.json(await getMovement(c.get('deps').db, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/stock/on-hand',
      tags,
      summary: 'On-hand per item × warehouse (filters item, warehouse, region)',
      middleware: [requireScope('read')] as const,
      request: { query: onHandQuerySchema.extend(pageQuerySchema) },
      responses: {
        200: { description: 'A page ordered by item, then warehouse', ...json(pageOf(onHandSchema)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const after = decodePair(cursor);
      const page = await listOnHand(c.get('deps').db, filter, {
        limit,
        after: after ? { itemId: after[0], warehouseId: after[1] } : undefined,
      });
      return c.json(
        {
          data: page.data,
          nextCursor: page.next ? encodePair(page.next.itemId, page.next.warehouseId) : null,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/stock/serials',
      tags,
      summary: 'Serial-tracked units: where each is (in stock, issued, written off)',
      middleware: [requireScope('read')] as const,
      request: { query: serialListQuerySchema.extend(pageQuerySchema) },
      responses: {
        200: { description: 'A page ordered by item, then serial', ...json(pageOf(serialSchema)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const after = decodePair(cursor);
      const page = await listSerials(c.get('deps').db, filter, {
        limit,
        after: after ? { itemId: after[0], serial: after[1] } : undefined,
      });
      return c.json(
        { data: page.data, nextCursor: page.next ? encodePair(page.next.itemId, page.next.serial) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/stock/consistency',
      tags,
      summary: 'Check that on-hand equals the sum of the ledger and serials add up (admin)',
      middleware: [requireScope('admin')] as const,
      responses: {
        200: {
          description: 'The report; consistent is false when any pair differs',
          ...json(
            z.object({
              consistent: z.boolean(),
              levelMismatches: z.array(
                z.object({
                  itemId: z.string(),
                  warehouseId: z.string(),
                  level: z.string().nullable(),
                  ledger: z.string(),
                }),
              ),
              serialMismatches: z.array(
                z.object({
                  itemId: z.string(),
                  warehouseId: z.string(),
                  serialsInStock: z.number().int(),
                  level: z.string().nullable(),
                }),
              ),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await verifyLedgerConsistency(c.get('deps').db), 200),
  );

  return router;
}

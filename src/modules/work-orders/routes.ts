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
import { registerChecklistTemplateRoutes } from './checklist-template.routes.js';
import { registerExecutionRoutes } from './execution.routes.js';
import { scheduleWorkOrder, transitionWorkOrder } from './lifecycle.service.js';
import { registerPlanningRoutes } from './planning.routes.js';
import { json, oneWorkOrder, tags } from './route-kit.js';
import {
  scheduleInputSchema,
  transitionInputSchema,
  workOrderCreateSchema,
  workOrderListQuerySchema,
  workOrderPatchSchema,
  workOrderSchema,
} from './schemas.js';
import { createWorkOrder, getWorkOrder, listWorkOrders, updateWorkOrder } from './work-order.service.js';

/** Every work-order route (work orders, execution, checklist templates, type policies, planning) in one router. */
export function workOrderRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders',
      tags,
      summary: 'Create a work order (draft); SLA due times come from the contract in force',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(workOrderCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(workOrderSchema) }, ...problemResponses },
    }),
    async (c) => {
      const wo = await createWorkOrder(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(wo.version));
      c.header('location', `/v1/work-orders/${wo.id}`);
      return c.json(wo, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders',
      tags,
      summary: 'List work orders (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: workOrderListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(workOrderSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listWorkOrders(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders/{id}',
      tags,
      summary: 'Read a work order with its labor, parts, answers and signature',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const wo = await getWorkOrder(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/work-orders/{id}',
      tags,
      summary: 'Edit the header (before start); externalRefs at any time',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(workOrderPatchSchema) } },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const wo = await updateWorkOrder(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders/{id}/schedule',
      tags,
      summary: 'Assign technician and planned window (draft → scheduled, or reschedule)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(scheduleInputSchema) } },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const wo = await scheduleWorkOrder(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders/{id}/transitions',
      tags,
      summary: 'Move along the status machine; an illegal move is a 409 naming allowedTransitions',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(transitionInputSchema) } },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const wo = await transitionWorkOrder(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 200);
    },
  );

  registerExecutionRoutes(router);
  registerChecklistTemplateRoutes(router);
  registerPlanningRoutes(router);
  return router;
}

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
  technicianCreateSchema,
  technicianListQuerySchema,
  technicianPatchSchema,
  technicianSchema,
} from './schemas.js';
import {
  archiveTechnician,
  createTechnician,
  getTechnician,
  listTechnicians,
  updateTechnician,
} from './service.js';

const tags = ['technicians'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The technician', ...json(technicianSchema) }, ...problemResponses };

export function technicianRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/technicians',
      tags,
      summary: 'Create a technician (code unique; home van must be a van warehouse)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(technicianCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(technicianSchema) }, ...problemResponses },
    }),
    async (c) => {
      const technician = await createTechnician(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(technician.version));
      c.header('location', `/v1/technicians/${technician.id}`);
      return c.json(technician, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/technicians',
      tags,
      summary: 'List technicians (filters region, skill, van; keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: technicianListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(technicianSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listTechnicians(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/technicians/{id}',
      tags,
      summary: 'Read a technician',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const technician = await getTechnician(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(technician.version));
      return c.json(technician, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/technicians/{id}',
      tags,
      summary: 'Update a technician (If-Match for optimistic concurrency)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(technicianPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const technician = await updateTechnician(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(technician.version));
      return c.json(technician, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/technicians/{id}/archive',
      tags,
      summary: 'Archive a technician',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const technician = await archiveTechnician(
        c.get('deps').db,
        c.req.valid('param').id,
        expectedVersion(c),
      );
      c.header('etag', etagFor(technician.version));
      return c.json(technician, 200);
    },
  );

  return router;
}

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
import {
  checklistTemplateCreateSchema,
  checklistTemplateListQuerySchema,
  checklistTemplatePatchSchema,
  checklistTemplateSchema,
} from './checklist-schemas.js';
import {
  archiveChecklistTemplate,
  createChecklistTemplate,
  getChecklistTemplate,
  listChecklistTemplates,
  updateChecklistTemplate,
} from './checklist-template.service.js';
import { json } from './route-kit.js';
import {
  listTypePolicies,
  setTypePolicy,
  typePolicyPatchSchema,
  typePolicySchema,
} from './type-policy.service.js';
import { workOrderTypes } from './work-order-types.js';

const tags = ['checklist-templates'];
const one = { 200: { description: 'The template', ...json(checklistTemplateSchema) }, ...problemResponses };
const typeParam = z.object({ type: z.enum(workOrderTypes).openapi({ param: { name: 'type', in: 'path' } }) });

export function registerChecklistTemplateRoutes(router: OpenAPIHono<ApiEnv>): void {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/checklist-templates',
      tags,
      summary: 'Create a checklist template (optionally the default for a work-order type)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(checklistTemplateCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(checklistTemplateSchema) }, ...problemResponses },
    }),
    async (c) => {
      const template = await createChecklistTemplate(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(template.version));
      c.header('location', `/v1/checklist-templates/${template.id}`);
      return c.json(template, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/checklist-templates',
      tags,
      summary: 'List checklist templates',
      middleware: [requireScope('read')] as const,
      request: { query: checklistTemplateListQuerySchema.extend(pageQuerySchema) },
      responses: {
        200: { description: 'A page', ...json(pageOf(checklistTemplateSchema)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listChecklistTemplates(c.get('deps').db, filter, {
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
      path: '/checklist-templates/{id}',
      tags,
      summary: 'Read a checklist template',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const template = await getChecklistTemplate(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(template.version));
      return c.json(template, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/checklist-templates/{id}',
      tags,
      summary: 'Edit a template (work orders keep the copy they were given)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(checklistTemplatePatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const template = await updateChecklistTemplate(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(template.version));
      return c.json(template, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/checklist-templates/{id}/archive',
      tags,
      summary: 'Archive a template',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const template = await archiveChecklistTemplate(
        c.get('deps').db,
        c.req.valid('param').id,
        expectedVersion(c),
      );
      c.header('etag', etagFor(template.version));
      return c.json(template, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-order-types',
      tags: ['work-orders'],
      summary: 'Completion policy per work-order type (signature, labor required)',
      middleware: [requireScope('read')] as const,
      responses: {
        200: { description: 'Policies', ...json(z.object({ data: z.array(typePolicySchema) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ data: await listTypePolicies(c.get('deps').db) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/work-order-types/{type}',
      tags: ['work-orders'],
      summary: "Change a type's completion policy",
      middleware: [requireScope('admin')] as const,
      request: { params: typeParam, body: { required: true, ...json(typePolicyPatchSchema) } },
      responses: { 200: { description: 'The policy', ...json(typePolicySchema) }, ...problemResponses },
    }),
    async (c) =>
      c.json(await setTypePolicy(c.get('deps').db, c.req.valid('param').type, c.req.valid('json')), 200),
  );
}

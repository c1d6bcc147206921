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
  contactInputSchema,
  contactPatchSchema,
  customerCreateSchema,
  customerListQuerySchema,
  customerPatchSchema,
  customerSchema,
  siteInputSchema,
  sitePatchSchema,
} from './schemas.js';
import {
  addContact,
  addSite,
  archiveCustomer,
  createCustomer,
  getCustomer,
  listCustomers,
  updateContact,
  updateCustomer,
  updateSite,
} from './service.js';

const tags = ['customers'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The customer', ...json(customerSchema) }, ...problemResponses };
const subId = (name: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' } });
const siteParams = idParam.extend({ siteId: subId('siteId') });
const contactParams = idParam.extend({ contactId: subId('contactId') });
const statusPatch = z.strictObject({ status: z.enum(['active', 'archived']).optional() });

export function customerRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/customers',
      tags,
      summary: 'Create a customer with sites and contacts',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(customerCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(customerSchema) }, ...problemResponses },
    }),
    async (c) => {
      const customer = await createCustomer(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(customer.version));
      c.header('location', `/v1/customers/${customer.id}`);
      return c.json(customer, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/customers',
      tags,
      summary: 'List customers (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: customerListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(customerSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listCustomers(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}',
      tags,
      summary: 'Read a customer',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const customer = await getCustomer(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/customers/{id}',
      tags,
      summary: 'Update a customer (If-Match for optimistic concurrency)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(customerPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const customer = await updateCustomer(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/customers/{id}/archive',
      tags,
      summary: 'Archive a customer',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const customer = await archiveCustomer(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/customers/{id}/sites',
      tags,
      summary: 'Add a site (address) to a customer',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(siteInputSchema) } },
      responses: {
        201: { description: 'The customer with the new site', ...json(customerSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const customer = await addSite(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/customers/{id}/sites/{siteId}',
      tags,
      summary: 'Update or archive a site',
      middleware: [requireScope('write')] as const,
      request: {
        params: siteParams,
        body: { required: true, ...json(sitePatchSchema.extend(statusPatch.shape)) },
      },
      responses: one,
    }),
    async (c) => {
      const { id, siteId } = c.req.valid('param');
      const customer = await updateSite(
        c.get('deps').db,
        id,
        siteId,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/customers/{id}/contacts',
      tags,
      summary: 'Add a contact to a customer',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(contactInputSchema) } },
      responses: {
        201: { description: 'The customer with the new contact', ...json(customerSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const customer = await addContact(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/customers/{id}/contacts/{contactId}',
      tags,
      summary: 'Update or archive a contact',
      middleware: [requireScope('write')] as const,
      request: {
        params: contactParams,
        body: { required: true, ...json(contactPatchSchema.extend(statusPatch.shape)) },
      },
      responses: one,
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const customer = await updateContact(
        c.get('deps').db,
        id,
        contactId,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(customer.version));
      return c.json(customer, 200);
    },
  );

  return router;
}

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
  contractCreateSchema,
  contractListQuerySchema,
  contractPatchSchema,
  contractSchema,
  contractTerminateSchema,
  coveringContractSchema,
  coveringQuerySchema,
} from './contract-schemas.js';
import {
  activateContract,
  createContract,
  getContract,
  listContracts,
  terminateContract,
  updateContract,
} from './contract.service.js';
import { findContractsCovering, getContractVersionInForce } from './in-force.service.js';
import { addContractVersion } from './version.service.js';
import { contractVersionInputSchema, contractVersionSchema } from './version-schemas.js';

const tags = ['contracts'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = { 200: { description: 'The contract', ...json(contractSchema) }, ...problemResponses };
const inForceSchema = z
  .object({ contractId: z.string(), date: z.string(), version: contractVersionSchema.nullable() })
  .openapi('ContractVersionInForce');

export function contractRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/contracts',
      tags,
      summary: 'Create a service contract (draft), optionally with version 1',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(contractCreateSchema) } },
      responses: { 201: { description: 'Created', ...json(contractSchema) }, ...problemResponses },
    }),
    async (c) => {
      const contract = await createContract(c.get('deps').db, c.req.valid('json'));
      c.header('etag', etagFor(contract.version));
      c.header('location', `/v1/contracts/${contract.id}`);
      return c.json(contract, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/contracts',
      tags,
      summary: 'List contracts (keyset pagination)',
      middleware: [requireScope('read')] as const,
      request: { query: contractListQuerySchema.extend(pageQuerySchema) },
      responses: { 200: { description: 'A page', ...json(pageOf(contractSchema)) }, ...problemResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listContracts(c.get('deps').db, filter, { limit, afterId: decodeCursor(cursor) });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null },
        200,
      );
    },
  );

  // Registered before /contracts/{id} so "covering" is never taken for an id.
  router.openapi(
    createRoute({
      method: 'get',
      path: '/contracts/covering',
      tags,
      summary: "Contracts in force on a date covering a customer's asset or site (most specific first)",
      middleware: [requireScope('read')] as const,
      request: { query: coveringQuerySchema },
      responses: {
        200: { description: 'Matches', ...json(z.object({ data: z.array(coveringContractSchema) })) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { date, ...rest } = c.req.valid('query');
      return c.json({ data: await findContractsCovering(c.get('deps').db, { ...rest, onDate: date }) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/contracts/{id}',
      tags,
      summary: 'Read a contract with its versions',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const contract = await getContract(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(contract.version));
      return c.json(contract, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/contracts/{id}',
      tags,
      summary: 'Update title, notes or external refs (terms change by adding a version)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(contractPatchSchema) } },
      responses: one,
    }),
    async (c) => {
      const contract = await updateContract(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(contract.version));
      return c.json(contract, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{id}/versions',
      tags,
      summary: 'Add a version (409 when it overlaps another, naming it)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(contractVersionInputSchema) } },
      responses: {
        201: { description: 'The new version', ...json(contractVersionSchema) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await addContractVersion(
          c.get('deps').db,
          c.req.valid('param').id,
          c.req.valid('json'),
          expectedVersion(c),
        ),
        201,
      ),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/contracts/{id}/in-force',
      tags,
      summary: 'The version in force on a date (null when none, draft, or terminated before)',
      middleware: [requireScope('read')] as const,
      request: { params: idParam, query: z.object({ date: z.iso.date() }) },
      responses: { 200: { description: 'The version or null', ...json(inForceSchema) }, ...problemResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { date } = c.req.valid('query');
      return c.json(
        { contractId: id, date, version: await getContractVersionInForce(c.get('deps').db, id, date) },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{id}/activate',
      tags,
      summary: 'Put a draft contract in force',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const contract = await activateContract(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(contract.version));
      return c.json(contract, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{id}/terminate',
      tags,
      summary: 'Terminate a contract (final); in force up to and including terminatedOn',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(contractTerminateSchema) } },
      responses: one,
    }),
    async (c) => {
      const contract = await terminateContract(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(contract.version));
      return c.json(contract, 200);
    },
  );

  return router;
}

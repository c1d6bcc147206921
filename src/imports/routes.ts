import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, problemResponses, requireScope } from '../api/index.js';
import { formatFromFileName, kindFromFileName } from '../connectors/file-exchange/index.js';
import { AppError, errors } from '../shared/errors/index.js';
import { getJob, listJobs, listRejects } from './job-store.js';
import { importJobSchema, importRejectSchema, importStatuses, importUploadQuerySchema } from './schemas.js';

const tags = ['imports'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const binary = { schema: { type: 'string', format: 'binary' } } as const;
/** The path that takes a raw body: the API mounts it outside the JSON-only and small-body middleware. */
export const IMPORT_UPLOAD_PATH = '/v1/imports';

const jobIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export function importRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/imports',
      tags,
      summary:
        'Upload a customers/items/stock-levels/price-lists/purchase-receipts file (runs in the background)',
      description:
        'The body is the file itself (CSV, JSON Lines or XML; any encoding the inbox reads), at most the ' +
        'configured import size (413 beyond it). It is stored durably, then 202 answers with the job; ' +
        'GET /v1/imports/{id} shows rows read, applied and rejected as they change, and ' +
        '/v1/imports/{id}/rejects every rejected row with its number and reason. The same content imported ' +
        'before (here or through the inbox) is recognised by its SHA-256 and applies nothing.',
      middleware: [requireScope('write')] as const,
      request: {
        query: importUploadQuerySchema,
        body: {
          required: true,
          content: {
            'text/csv': binary,
            'application/x-ndjson': binary,
            'application/xml': binary,
            'application/octet-stream': binary,
          },
        },
      },
      responses: {
        202: { description: 'Accepted and queued', ...json(importJobSchema) },
        429: { description: 'Too many imports waiting', content: problemResponses[400].content },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { fileName, ...given } = c.req.valid('query');
      const runner = c.get('deps').imports;
      if (!runner) throw new AppError('unavailable', 'imports are not enabled on this hub');
      const kind = given.kind ?? kindFromFileName(fileName);
      const format = given.format ?? formatFromFileName(fileName);
      const issues = [
        ...(kind === undefined
          ? [
              {
                path: ['query', 'kind'],
                message:
                  'cannot tell from the file name what it holds: name it customers*, items*, stock-levels*, price-lists* or purchase-receipts*, or give kind',
              },
            ]
          : []),
        ...(format === undefined
          ? [
              {
                path: ['query', 'format'],
                message: 'cannot tell the format from the file name: give format (csv, jsonl, xml)',
              },
            ]
          : []),
      ];
      if (kind === undefined || format === undefined)
        throw errors.validation('kind or format unknown', issues);
      const length = c.req.header('content-length');
      const job = await runner.accept({
        body: c.req.raw.body,
        ...(length !== undefined && /^\d+$/.test(length) && { declaredBytes: Number(length) }),
        fileName,
        kind,
        format,
        requestedBy: `token:${c.get('principal').name}`,
      });
      c.header('location', `/v1/imports/${job.id}`);
      return c.json(job, 202);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/imports',
      tags,
      summary: 'Imports uploaded through the API, newest first',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.object({
          status: z.enum(importStatuses).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
          before: z.string().max(64).optional().openapi({ description: 'nextCursor of the previous page' }),
        }),
      },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ data: z.array(importJobSchema), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, before, status } = c.req.valid('query');
      const page = await listJobs(c.get('deps').db, {
        limit,
        ...(before && { beforeId: before }),
        ...(status && { status }),
      });
      return c.json({ data: page.data, nextCursor: page.nextBeforeId }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/imports/{id}',
      tags,
      summary: 'One import: status and progress (rows read, applied, rejected)',
      middleware: [requireScope('read')] as const,
      request: { params: jobIdParam },
      responses: { 200: { description: 'The import', ...json(importJobSchema) }, ...problemResponses },
    }),
    async (c) => c.json(await getJob(c.get('deps').db, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/imports/{id}/rejects',
      tags,
      summary: "An import's rejected rows: row number, reason and the row as sent",
      middleware: [requireScope('read')] as const,
      request: {
        params: jobIdParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          after: z.coerce
            .number()
            .int()
            .min(0)
            .optional()
            .openapi({ description: 'nextCursor of the previous page' }),
        }),
      },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ data: z.array(importRejectSchema), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, after } = c.req.valid('query');
      const page = await listRejects(c.get('deps').db, c.req.valid('param').id, {
        limit,
        ...(after !== undefined && { afterId: after }),
      });
      return c.json(
        { data: page.data, nextCursor: page.nextAfterId === null ? null : String(page.nextAfterId) },
        200,
      );
    },
  );

  return router;
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiEnv } from '../../api/index.js';
import { errors } from '../../shared/errors/index.js';
import { etagFor, expectedVersion, idParam, problemResponses, requireScope } from '../../api/index.js';
import { answerChecklist } from './checklist.service.js';
import { completeWorkOrder } from './completion.service.js';
import { correctWorkOrder, listWorkOrderRevisions } from './correction.service.js';
import { getWorkOrderCosts, workOrderCostsSchema } from './cost-read.js';
import {
  answersInputSchema,
  completeInputSchema,
  correctionInputSchema,
  laborInputSchema,
  partInputSchema,
  signatureInputSchema,
} from './execution-schemas.js';
import { addLabor, removeLabor } from './labor.service.js';
import { addPart, removePart } from './parts.service.js';
import { getServiceReport, renderServiceReportHtml } from './report.service.js';
import { createdWorkOrder, json, laborParams, oneWorkOrder, partParams, tags } from './route-kit.js';
import { workOrderSchema } from './schemas.js';
import { getSignature, signWorkOrder } from './signature.service.js';

const reportSchema = z
  .object({
    workOrderId: z.string(),
    number: z.string(),
    status: z.string(),
    completedAt: z.string().nullable(),
    reportHash: z.string(),
    completedReportHash: z.string().nullable(),
    content: z.record(z.string(), z.unknown()),
    signature: z
      .object({
        signerName: z.string(),
        signedAt: z.string(),
        reportHash: z.string(),
        matchesReport: z.boolean(),
      })
      .nullable(),
  })
  .openapi('ServiceReport');

const signatureSchema = z
  .object({
    id: z.string(),
    workOrderId: z.string(),
    signerName: z.string(),
    signedAt: z.string(),
    reportHash: z.string(),
    imageSha256: z.string(),
    imagePngBase64: z.string(),
    invalidatedAt: z.string().nullable(),
  })
  .openapi('Signature');

const revisionSchema = z
  .object({
    id: z.string(),
    workOrderId: z.string(),
    revision: z.number().int(),
    reason: z.string(),
    changes: z.unknown(),
    before: workOrderSchema,
    beforeReportHash: z.string().nullable(),
    afterReportHash: z.string(),
    createdAt: z.string(),
  })
  .openapi('WorkOrderRevision');

/** The printed page carries customer text: no scripts, no external fetches, only inline styles and the data: image. */
const reportPageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

export function registerExecutionRoutes(router: OpenAPIHono<ApiEnv>): void {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders/{id}/labor',
      tags,
      summary: 'Record labor (start/end or duration)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(laborInputSchema) } },
      responses: createdWorkOrder,
    }),
    async (c) => {
      const wo = await addLabor(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders/{id}/parts',
      tags,
      summary: "Use a part: posts the stock issue (default: the technician's van) in the same transaction",
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(partInputSchema) } },
      responses: createdWorkOrder,
    }),
    async (c) => {
      const wo = await addPart(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders/{id}/checklist',
      tags,
      summary: 'Answer checklist items (null clears)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(answersInputSchema) } },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const wo = await answerChecklist(
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
      path: '/work-orders/{id}/signature',
      tags,
      summary: 'Customer signature over the current report hash',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(signatureInputSchema) } },
      responses: createdWorkOrder,
    }),
    async (c) => {
      const wo = await signWorkOrder(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/work-orders/{id}/complete',
      tags,
      summary: 'Complete: 422 listing missing required answers, labor or signature',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: false, ...json(completeInputSchema) } },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const wo = await completeWorkOrder(
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
      path: '/work-orders/{id}/corrections',
      tags,
      summary: 'Correct a completed work order (keeps a revision with the prior state)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(correctionInputSchema) } },
      responses: createdWorkOrder,
    }),
    async (c) => {
      const wo = await correctWorkOrder(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/work-orders/{id}/labor/{laborId}',
      tags,
      summary: 'Remove a labor entry (while in progress)',
      middleware: [requireScope('write')] as const,
      request: { params: laborParams },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const { id, laborId } = c.req.valid('param');
      const wo = await removeLabor(c.get('deps').db, id, laborId, expectedVersion(c));
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/work-orders/{id}/parts/{partId}',
      tags,
      summary: 'Remove a part line: posts the stock return to the warehouse it came from',
      middleware: [requireScope('write')] as const,
      request: { params: partParams },
      responses: oneWorkOrder,
    }),
    async (c) => {
      const { id, partId } = c.req.valid('param');
      const wo = await removePart(c.get('deps').db, id, partId, expectedVersion(c));
      c.header('etag', etagFor(wo.version));
      return c.json(wo, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders/{id}/signature',
      tags,
      summary: 'The current signature with its image',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'The signature', ...json(signatureSchema) }, ...problemResponses },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const signature = await getSignature(c.get('deps').db, id);
      if (!signature) throw errors.notFound('signature of work order', id);
      return c.json(signature, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders/{id}/corrections',
      tags,
      summary: 'Corrections of a work order, each with the full prior state',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: {
        200: { description: 'Revisions', ...json(z.object({ data: z.array(revisionSchema) })) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json({ data: await listWorkOrderRevisions(c.get('deps').db, c.req.valid('param').id) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders/{id}/costs',
      tags,
      summary:
        'Maintenance cost per cost center (labor at cost rate, parts at cost) and the bookings that made it',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'Costs', ...json(workOrderCostsSchema) }, ...problemResponses },
    }),
    async (c) => c.json(await getWorkOrderCosts(c.get('deps').db, c.req.valid('param').id), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders/{id}/report',
      tags,
      summary: 'The structured service report and its SHA-256 (what a signature names)',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'The report', ...json(reportSchema) }, ...problemResponses },
    }),
    async (c) => {
      const report = await getServiceReport(c.get('deps').db, c.req.valid('param').id);
      return c.json({ ...report, content: { ...report.content } }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/work-orders/{id}/report.html',
      tags,
      summary: 'The printable service report (HTML; print to PDF from a browser)',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: {
        200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.body(
        await renderServiceReportHtml(c.get('deps').db, c.req.valid('param').id),
        200,
        reportPageHeaders,
      ),
  );
}

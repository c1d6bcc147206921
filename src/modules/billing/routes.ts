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
  approveDocument,
  creditDocument,
  markDocumentInvoiced,
  markDocumentSent,
} from './lifecycle.service.js';
import { getBillingDocument, getContractCapUsage, listBillingDocuments } from './read.service.js';
import { generateRecurringFees } from './recurring-fee.service.js';
import {
  billingDocumentSchema,
  creditInputSchema,
  documentListQuerySchema,
  invoiceInputSchema,
  recurringFeeRunSchema,
  sendInputSchema,
} from './schemas.js';
import { billCompletedWorkOrders, billWorkOrder, repriceDocument } from './work-order-billing.service.js';

const tags = ['billing'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
const one = {
  200: { description: 'The billing document', ...json(billingDocumentSchema) },
  ...problemResponses,
};
const creditResultSchema = z
  .object({ credited: billingDocumentSchema, creditNote: billingDocumentSchema })
  .openapi('BillingCreditResult');
const feeRunResultSchema = z
  .object({
    periodStart: z.string(),
    periodEnd: z.string(),
    created: z.array(billingDocumentSchema),
    existing: z.array(z.object({ contractId: z.string(), periodKey: z.string(), documentId: z.string() })),
  })
  .openapi('RecurringFeeRunResult');
const billCompletedSchema = z
  .strictObject({
    since: z.iso.datetime({ offset: true }).openapi({ description: 'Work orders changed since' }),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .openapi('BillCompletedWorkOrders');
const billCompletedResultSchema = z
  .object({
    created: z.array(billingDocumentSchema),
    skipped: z.array(z.object({ workOrderId: z.string(), documentId: z.string() })),
    failed: z.array(
      z.object({
        workOrderId: z.string(),
        workOrderNumber: z.string(),
        code: z.string(),
        message: z.string(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .openapi('BillCompletedWorkOrdersResult');
const capUsageSchema = z
  .object({
    contractId: z.string(),
    usage: z.array(
      z.object({
        capId: z.string(),
        periodKey: z.string(),
        consumed: z.object({ amount: z.string(), currency: z.string() }),
      }),
    ),
  })
  .openapi('ContractCapUsage');

export function billingRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/billing/documents',
      tags,
      summary: 'List billing documents (filters status, kind, customer, contract, work order, date range)',
      middleware: [requireScope('read')] as const,
      request: { query: documentListQuerySchema.extend(pageQuerySchema) },
      responses: {
        200: { description: 'A page', ...json(pageOf(billingDocumentSchema)) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = await listBillingDocuments(c.get('deps').db, filter, {
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
      path: '/billing/documents/{id}',
      tags,
      summary: 'Read a billing document with its lines',
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const doc = await getBillingDocument(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(doc.version));
      return c.json(doc, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/from-work-order/{id}',
      tags,
      summary:
        'Create the draft of a completed work order (200 with the existing one if it has an active document)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: {
        201: { description: 'Created', ...json(billingDocumentSchema) },
        200: { description: 'The work order already had an active document', ...json(billingDocumentSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { document, created } = await billWorkOrder(c.get('deps').db, c.req.valid('param').id);
      c.header('etag', etagFor(document.version));
      if (!created) return c.json(document, 200);
      c.header('location', `/v1/billing/documents/${document.id}`);
      return c.json(document, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/bill-completed',
      tags,
      summary: 'Bill every completed work order changed since a time that was never billed',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(billCompletedSchema) } },
      responses: {
        200: { description: 'What was billed, skipped, failed', ...json(billCompletedResultSchema) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await billCompletedWorkOrders(c.get('deps').db, c.req.valid('json')), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/{id}/approve',
      tags,
      summary: 'draft → approved (emits billing.document.approved, which ERP flows consume)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const doc = await approveDocument(c.get('deps').db, c.req.valid('param').id, expectedVersion(c));
      c.header('etag', etagFor(doc.version));
      return c.json(doc, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/{id}/send',
      tags,
      summary: 'approved → sent_to_erp with the connector reference (same reference again: unchanged)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(sendInputSchema) } },
      responses: one,
    }),
    async (c) => {
      const doc = await markDocumentSent(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(doc.version));
      return c.json(doc, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/{id}/invoice',
      tags,
      summary: 'sent_to_erp → invoiced with the ERP invoice number (same number again: unchanged)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(invoiceInputSchema) } },
      responses: one,
    }),
    async (c) => {
      const doc = await markDocumentInvoiced(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etagFor(doc.version));
      return c.json(doc, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/{id}/credit',
      tags,
      summary: 'Credit an approved, sent or invoiced document: creates its credit note (201)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam, body: { required: true, ...json(creditInputSchema) } },
      responses: {
        201: { description: 'The credited document and its credit note', ...json(creditResultSchema) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const result = await creditDocument(
        c.get('deps').db,
        c.req.valid('param').id,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('location', `/v1/billing/documents/${result.creditNote.id}`);
      return c.json(result, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/documents/{id}/reprice',
      tags,
      summary: 'Re-price a work-order draft after a correction (new lines replace the old ones)',
      middleware: [requireScope('write')] as const,
      request: { params: idParam },
      responses: one,
    }),
    async (c) => {
      const doc = await repriceDocument(c.get('deps').db, c.req.valid('param').id, {
        expectedVersion: expectedVersion(c),
      });
      c.header('etag', etagFor(doc.version));
      return c.json(doc, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/billing/recurring-fees/generate',
      tags,
      summary:
        'Generate recurring contract fee drafts (one per contract and period; re-running never duplicates)',
      middleware: [requireScope('write')] as const,
      request: { body: { required: true, ...json(recurringFeeRunSchema) } },
      responses: {
        200: { description: 'Created and already existing documents', ...json(feeRunResultSchema) },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await generateRecurringFees(c.get('deps').db, c.req.valid('json')), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/billing/contracts/{id}/cap-usage',
      tags,
      summary: "What billing documents consumed of a contract's caps, per cap and period",
      middleware: [requireScope('read')] as const,
      request: { params: idParam },
      responses: { 200: { description: 'Cap usage', ...json(capUsageSchema) }, ...problemResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json({ contractId: id, usage: await getContractCapUsage(c.get('deps').db, id) }, 200);
    },
  );

  return router;
}

import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, problemResponses, requireScope } from '../../api/index.js';
import { recordHistory } from '../history/index.js';

const tags = ['sync'];
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });

const attemptSchema = z
  .object({
    attempt: z.number().int(),
    startedAt: z.string(),
    durationMs: z.number().int(),
    outcome: z.string().openapi({ description: 'delivered | retry | dead' }),
    errorClass: z.string().nullable(),
    errorMessage: z.string().nullable(),
  })
  .openapi('SyncHistoryAttempt');

const deliverySchema = z
  .object({
    id: z.number().int(),
    flow: z.string(),
    status: z.string().openapi({ description: 'pending | in_flight | delivered | dead' }),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    errorClass: z.string().nullable(),
    error: z.string().nullable(),
    idempotencyKey: z.string(),
    attemptLog: z.array(attemptSchema),
  })
  .openapi('SyncHistoryDelivery');

export const recordHistorySchema = z
  .object({
    subject: z.string(),
    localId: z.string(),
    links: z.array(
      z.object({ connector: z.string(), entity: z.string(), externalId: z.string(), updatedAt: z.string() }),
    ),
    events: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        sequence: z.number().int(),
        time: z.string(),
        deliveries: z.array(deliverySchema),
        notSent: z.enum(['no_flow', 'history_pruned', 'before_subscription']).nullable().openapi({
          description:
            'Why there is no delivery: no flow takes this type; the event is older than the delivery history kept (historyDays), so its delivery was pruned; or the event committed before the flow that takes it was subscribed',
        }),
      }),
    ),
    nextBeforeSequence: z.number().int().nullable(),
    historyDays: z.number().int().nullable().openapi({
      description:
        'Days of delivery history kept (sync.historyDays); delivered rows older than this are pruned',
    }),
  })
  .openapi('SyncRecordHistory');

const historyQuery = z.object({
  subject: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[a-z][a-z0-9_-]*\/\S+$/, 'a record subject such as work_order/<id>')
    .openapi({ description: 'The record, as its events name it: work_order/<id>, billing_document/<id>, …' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  beforeSequence: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: 'nextBeforeSequence of the previous page' }),
});

/** A record's sync history, read-only: what the console's detail pages show under "Sync history". */
export function historyRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync/history',
      tags,
      summary: "One record's events, their deliveries to each flow, and every attempt (newest first)",
      middleware: [requireScope('read')] as const,
      request: { query: historyQuery },
      responses: { 200: { description: 'The history', ...json(recordHistorySchema) }, ...problemResponses },
    }),
    async (c) => {
      const { subject, limit, beforeSequence } = c.req.valid('query');
      const { sync, historyDays } = c.get('deps');
      const flows = sync?.flowConfig.flows ?? [];
      const history = await recordHistory(c.get('deps').db, {
        subject,
        limit,
        ...(beforeSequence !== undefined && { beforeSequence }),
        ...(historyDays !== undefined && { historyDays }),
        crosswalk: {
          connectors: [...new Set(flows.map((f) => f.connector))],
          entities: [...new Set(flows.flatMap((f) => [f.entity, f.target.entity]))],
        },
      });
      return c.json(history, 200);
    },
  );
  return router;
}

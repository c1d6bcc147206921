import { z } from 'zod';
import { lookupTablesSchema, mappingSpecSchema } from '../mapping/index.js';
import { defaultRetryPolicy, retryPolicySchema } from '../retry/index.js';

/** Fieldsync-side operations an inbound flow may apply. */
export const inboundOperations = ['upsert', 'create', 'update'] as const;

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'use lower-case letters, digits, ".", "_" or "-"');

export const eventsSourceSchema = z
  .object({
    kind: z.literal('events'),
    /** Outbox event types, e.g. `work_order.completed`. */
    types: z.array(z.string().regex(/^[a-z0-9_.-]+$/, 'event types look like "work_order.completed"')).min(1),
  })
  .strict();

export const pullSourceSchema = z
  .object({
    kind: z.literal('pull'),
    /** The connector entity to read incrementally. */
    entity: z.string().min(1),
    schedule: z.object({ everySeconds: z.number().int().min(1).max(86_400) }).strict(),
    /** How far back each pull re-reads, to catch late commits; re-read records are deduped. */
    overlapSeconds: z.number().int().min(0).max(86_400).default(60),
    pageSize: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();

export const flowSchema = z
  .object({
    name,
    description: z.string().optional(),
    direction: z.enum(['outbound', 'inbound']),
    /** A key of the top-level `connectors` map. */
    connector: z.string().min(1),
    source: z.discriminatedUnion('kind', [eventsSourceSchema, pullSourceSchema]),
    /** The Fieldsync entity this flow is about (work_order, customer, ...). */
    entity: z.string().min(1),
    mapping: mappingSpecSchema,
    /** Outbound: connector entity + write kind. Inbound: Fieldsync entity + one of `inboundOperations`. */
    target: z.object({ entity: z.string().min(1), operation: z.string().min(1) }).strict(),
    batchSize: z.number().int().min(1).max(10_000).default(50),
    concurrency: z.number().int().min(1).max(64).default(1),
    retry: retryPolicySchema.default(() => ({ ...defaultRetryPolicy })),
    /**
     * Outbound updates of an entity that an inbound flow also pulls: read the ERP record first and judge
     * its edits like a pull before writing (docs/sync/conflicts.md). `false` writes without looking.
     */
    guardUpdates: z.boolean().default(true),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((flow, ctx) => {
    if (flow.direction === 'outbound' && flow.source.kind !== 'events') {
      ctx.addIssue({
        code: 'custom',
        path: ['source', 'kind'],
        message: 'an outbound flow is fed by outbox events (kind: events)',
      });
    }
    if (flow.direction === 'inbound' && flow.source.kind !== 'pull') {
      ctx.addIssue({
        code: 'custom',
        path: ['source', 'kind'],
        message: 'an inbound flow pulls from the ERP (kind: pull)',
      });
    }
    if (
      flow.direction === 'inbound' &&
      !(inboundOperations as readonly string[]).includes(flow.target.operation)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['target', 'operation'],
        message: `inbound flows apply one of: ${inboundOperations.join(', ')}`,
      });
    }
  });

export const connectorEntrySchema = z
  .object({
    /** A name in the connector registry (`test-erp`, `tryton`, ...). */
    type: z.string().min(1),
    /** Inline config, validated against the connector's schema at load. */
    config: z.record(z.string(), z.unknown()).optional(),
    /** Or the name of a stored (encrypted) credential set, resolved by the hub at start. */
    configRef: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => (c.config === undefined) !== (c.configRef === undefined), {
    message: 'give exactly one of config or configRef',
    path: ['config'],
  });

export const flowConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    connectors: z
      .record(
        z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9._-]{0,99}$/,
            'connector names use lower-case letters, digits, ".", "_" or "-"',
          ),
        connectorEntrySchema,
      )
      .default({}),
    lookups: lookupTablesSchema.default({}),
    flows: z.array(flowSchema).default([]),
  })
  .strict();

export type EventsSource = z.output<typeof eventsSourceSchema>;
export type PullSource = z.output<typeof pullSourceSchema>;
export type FlowDefinition = z.output<typeof flowSchema>;
export type ConnectorEntry = z.output<typeof connectorEntrySchema>;
export type FlowConfig = z.output<typeof flowConfigSchema>;
export type FlowConfigInput = z.input<typeof flowConfigSchema>;

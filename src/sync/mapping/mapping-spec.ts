import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * The declarative mapping language (docs/sync/mappings-and-ownership.md). Schemas only: the compiler
 * (`compile-mapping.ts`) adds the checks that need the rest of the config, such as lookup tables.
 */

export const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;

/** Dot notation into the source record; numeric segments index arrays (`lines.0.qty`). */
export const sourcePathSchema = z
  .string()
  .regex(
    /^(\$|(\$event\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)$/,
    'must be a dot path such as "site.region" (or "$event.time" for event metadata)',
  );

/** Target field names; dots build nested objects in the output. */
export const targetFieldPattern = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const positiveDecimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => {
    try {
      const d = new Decimal(v);
      return d.isFinite() && d.gt(0);
    } catch {
      return false;
    }
  }, 'must be a positive decimal such as "1.5"');

const scale = z.number().int().min(0).max(12);
const onMissing = z.enum(['error', 'default', 'passthrough']).default('error');
const requireDefault = (v: { onMissing: string; default?: unknown }): boolean =>
  v.onMissing !== 'default' || v.default !== undefined;
const requireDefaultMessage = { message: 'onMissing "default" needs a default value', path: ['default'] };

export const transformArgSchemas = {
  valueMap: z
    .object({ map: z.record(z.string(), scalarSchema), default: scalarSchema.optional(), onMissing })
    .strict()
    .refine(requireDefault, requireDefaultMessage),
  unit: z
    .object({
      from: z.string().min(1),
      to: z.string().min(1),
      factor: positiveDecimal,
      scale: scale.optional(),
    })
    .strict(),
  currency: z
    .object({
      from: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
      to: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
      rate: positiveDecimal.optional(),
      /** A lookup table keyed "FROM/TO" (e.g. "EUR/USD"), so rates live in one place. */
      table: z.string().min(1).optional(),
      scale: scale.optional(),
    })
    .strict()
    .refine((v) => (v.rate === undefined) !== (v.table === undefined), {
      message: 'give exactly one of rate or table',
      path: ['rate'],
    }),
  lookup: z
    .object({
      table: z.string().min(1),
      key: sourcePathSchema.optional(),
      onMissing,
      default: scalarSchema.optional(),
    })
    .strict()
    .refine(requireDefault, requireDefaultMessage),
  default: z.object({ value: scalarSchema }).strict(),
  trim: z.object({}).strict(),
  upper: z.object({}).strict(),
  lower: z.object({}).strict(),
  decimal: z
    .object({ scale, rounding: z.enum(['half_up', 'half_even', 'down']).default('half_up') })
    .strict(),
  date: z.object({ output: z.enum(['date', 'datetime']).default('date') }).strict(),
  concat: z
    .object({
      parts: z.array(z.union([sourcePathSchema, z.object({ value: scalarSchema }).strict()])).min(1),
      sep: z.string().default(''),
    })
    .strict(),
  constant: z.object({ value: scalarSchema }).strict(),
} as const;

export type TransformName = keyof typeof transformArgSchemas;
export const transformNames = Object.keys(transformArgSchemas) as TransformName[];
/** Transforms that produce a value without a `from` path. */
export const valueProducingTransforms: readonly TransformName[] = ['constant', 'concat', 'default'];

export type Transform = {
  [K in TransformName]: { kind: K; args: z.output<(typeof transformArgSchemas)[K]> };
}[TransformName];

const nameSet = new Set<string>(transformNames);
const argsShape = Object.fromEntries(transformNames.map((n) => [n, transformArgSchemas[n].optional()])) as {
  [K in TransformName]: z.ZodOptional<(typeof transformArgSchemas)[K]>;
};

/**
 * One transform is an object with exactly one key naming it (`{ lookup: { table: regions } }`), or a
 * bare name for argument-less ones (`trim`). Errors then point into the arguments by name.
 */
export const transformSchema = z
  .preprocess(
    (v) => (typeof v === 'string' ? { [v]: {} } : v),
    z
      .object(argsShape)
      .catchall(z.unknown())
      .superRefine((v, ctx) => {
        const keys = Object.keys(v);
        const unknown = keys.filter((k) => !nameSet.has(k));
        for (const key of unknown) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `unknown transform "${key}"; known: ${transformNames.join(', ')}`,
          });
        }
        if (unknown.length === 0 && keys.length !== 1) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message: `a transform names exactly one of: ${transformNames.join(', ')}`,
          });
        }
      }),
  )
  .transform((v) => {
    const kind = Object.keys(v)[0] as TransformName;
    return { kind, args: v[kind] } as Transform;
  });

export const FieldOwner = { erp: 'erp', fieldsync: 'fieldsync', shared: 'shared' } as const;
export type FieldOwner = (typeof FieldOwner)[keyof typeof FieldOwner];

/** How a shared field settles concurrent edits; each is described in `sharedRuleDescriptions`. */
export const SharedRule = {
  latestWins: 'latest-wins',
  erpWinsOnConflict: 'erp-wins-on-conflict',
  fieldsyncWinsOnConflict: 'fieldsync-wins-on-conflict',
  manual: 'manual',
} as const;
export type SharedRule = (typeof SharedRule)[keyof typeof SharedRule];

export const fieldSpecSchema = z
  .object({
    from: sourcePathSchema.optional(),
    transform: z.array(transformSchema).default([]),
    required: z.boolean().default(false),
    owner: z.enum(['erp', 'fieldsync', 'shared']),
    rule: z.enum(['latest-wins', 'erp-wins-on-conflict', 'fieldsync-wins-on-conflict', 'manual']).optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    if (field.owner === 'shared' && field.rule === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rule'],
        message: `a shared field needs a rule: ${Object.values(SharedRule).join(', ')}`,
      });
    }
    if (field.owner !== 'shared' && field.rule !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rule'],
        message: `only shared fields take a rule (owner is ${field.owner})`,
      });
    }
    const first = field.transform[0]?.kind;
    if (field.from === undefined && (first === undefined || !valueProducingTransforms.includes(first))) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'needs a source path, or a first transform of constant, concat or default',
      });
    }
  });
export type FieldSpec = z.output<typeof fieldSpecSchema>;

export const mappingSpecSchema = z
  .object({
    description: z.string().optional(),
    fields: z.record(z.string(), fieldSpecSchema).superRefine((fields, ctx) => {
      const names = Object.keys(fields);
      if (names.length === 0)
        ctx.addIssue({ code: 'custom', path: [], message: 'a mapping needs at least one field' });
      const unsafe = (n: string): boolean =>
        n.split('.').some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype');
      for (const name of names.filter((n) => !targetFieldPattern.test(n) || unsafe(n))) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'target field names are identifiers, with dots for nesting',
        });
      }
    }),
  })
  .strict();
export type MappingSpec = z.output<typeof mappingSpecSchema>;
export type MappingSpecInput = z.input<typeof mappingSpecSchema>;

/** Lookup tables: code → value (cost center by region, rates keyed "EUR/USD"). */
export const lookupTablesSchema = z.record(z.string(), z.record(z.string(), scalarSchema));
export type LookupTables = z.output<typeof lookupTablesSchema>;

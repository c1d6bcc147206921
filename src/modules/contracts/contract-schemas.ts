import { z } from '@hono/zod-openapi';
import { contractVersionInputSchema, contractVersionSchema, workOrderTypes } from './version-schemas.js';

export const contractStatuses = ['draft', 'active', 'terminated'] as const;
export type ContractStatus = (typeof contractStatuses)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const ref = z.string().min(1).max(64);
const externalRefs = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/), z.string().min(1).max(200));

export const contractCreateSchema = z
  .strictObject({
    number: text(40)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only')
      .openapi({ example: 'C-1042' }),
    customerId: ref,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. "EUR"')
      .optional()
      .openapi({ description: "Defaults to the customer's currency" }),
    title: text(200).optional(),
    notes: text(2000).optional(),
    externalRefs: externalRefs.optional(),
    initialVersion: contractVersionInputSchema
      .optional()
      .openapi({ description: 'Version 1, added in the same write' }),
  })
  .openapi('ContractCreate');

export const contractPatchSchema = z
  .strictObject({
    title: text(200).nullable().optional(),
    notes: text(2000).nullable().optional(),
    externalRefs: externalRefs.optional(),
  })
  .openapi('ContractPatch');

export const contractTerminateSchema = z
  .strictObject({
    terminatedOn: z.iso.date().openapi({ description: 'Last day the contract is in force' }),
    reason: text(500),
  })
  .openapi('ContractTerminate');

export const contractSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    customerId: z.string(),
    status: z.enum(contractStatuses),
    currency: z.string(),
    title: z.string().nullable(),
    notes: z.string().nullable(),
    startDate: z.string().nullable().openapi({ description: 'Earliest validFrom of its versions' }),
    endDate: z
      .string()
      .nullable()
      .openapi({ description: 'Termination day, else the latest validTo; null when open-ended' }),
    terminatedOn: z.string().nullable(),
    terminationReason: z.string().nullable(),
    versions: z.array(contractVersionSchema),
    externalRefs: z.record(z.string(), z.string()),
    version: z
      .number()
      .int()
      .openapi({ description: 'Optimistic-concurrency version (ETag), not a contract version' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Contract');

export const contractListQuerySchema = z.object({
  customerId: ref.optional(),
  status: z.enum(contractStatuses).optional(),
  number: z.string().max(40).optional(),
  updatedSince: z.iso.datetime().optional(),
});

export const coveringQuerySchema = z.object({
  customerId: ref,
  assetId: ref.optional(),
  siteId: ref.optional(),
  date: z.iso.date(),
});

export const coveringContractSchema = z
  .object({
    contract: contractSchema,
    version: contractVersionSchema,
    matchedBy: z.enum(['asset', 'site', 'customer']).openapi({
      description:
        'asset: the version lists the asset; site: it lists the site; customer: it lists neither (covers all)',
    }),
  })
  .openapi('CoveringContract');

export { workOrderTypes };
export type ContractCreate = z.input<typeof contractCreateSchema>;
export type ContractPatch = z.infer<typeof contractPatchSchema>;
export type ContractTerminate = z.input<typeof contractTerminateSchema>;
export type Contract = z.infer<typeof contractSchema>;
export type ContractListFilter = z.infer<typeof contractListQuerySchema>;
export type CoveringContract = z.infer<typeof coveringContractSchema>;
export interface CoveringQuery {
  customerId: string;
  assetId?: string;
  siteId?: string;
  onDate: string;
}

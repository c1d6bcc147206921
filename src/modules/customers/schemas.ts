import { z } from '@hono/zod-openapi';

const text = (max: number) => z.string().trim().min(1).max(max);
const externalRefs = z
  .record(z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/), z.string().min(1).max(200))
  .openapi({
    description: 'Ids of this record in other systems, by connector name',
    example: { tryton: '42' },
  });

export const siteInputSchema = z
  .strictObject({
    name: text(200),
    line1: text(300),
    line2: text(300).optional(),
    city: text(120),
    postalCode: text(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. "BE"'),
    region: text(80).optional(),
    isBilling: z.boolean().optional(),
  })
  .openapi('SiteInput');
export const sitePatchSchema = siteInputSchema.partial().openapi('SitePatch');

export const contactInputSchema = z
  .strictObject({
    name: text(200),
    email: z.email().max(254).optional(),
    phone: text(40).optional(),
    role: text(80).optional(),
  })
  .openapi('ContactInput');
export const contactPatchSchema = contactInputSchema.partial().openapi('ContactPatch');

export const customerCreateSchema = z
  .strictObject({
    code: text(60).optional(),
    name: text(200),
    legalName: text(300).optional(),
    taxId: text(40).optional(),
    email: z.email().max(254).optional(),
    phone: text(40).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. "EUR"')
      .default('EUR'),
    externalRefs: externalRefs.optional(),
    sites: z.array(siteInputSchema).max(500).default([]),
    contacts: z.array(contactInputSchema).max(500).default([]),
  })
  .openapi('CustomerCreate');

export const customerPatchSchema = z
  .strictObject({
    code: text(60).nullable().optional(),
    name: text(200).optional(),
    legalName: text(300).nullable().optional(),
    taxId: text(40).nullable().optional(),
    email: z.email().max(254).nullable().optional(),
    phone: text(40).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    externalRefs: externalRefs.optional(),
  })
  .openapi('CustomerPatch');

const siteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    postalCode: z.string().nullable(),
    country: z.string(),
    region: z.string().nullable(),
    isBilling: z.boolean(),
    status: z.enum(['active', 'archived']),
  })
  .openapi('Site');

const contactSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    role: z.string().nullable(),
    status: z.enum(['active', 'archived']),
  })
  .openapi('Contact');

export const customerSchema = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    name: z.string(),
    legalName: z.string().nullable(),
    taxId: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    currency: z.string(),
    status: z.enum(['active', 'archived']),
    externalRefs: z.record(z.string(), z.string()),
    sites: z.array(siteSchema),
    contacts: z.array(contactSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Customer');

export const customerListQuerySchema = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Name or code contains (case-insensitive)' }),
  status: z.enum(['active', 'archived']).optional(),
  region: z.string().max(80).optional().openapi({ description: 'Has a site in this region' }),
  code: z.string().max(60).optional(),
  updatedSince: z.iso.datetime().optional(),
});

export type SiteInput = z.infer<typeof siteInputSchema>;
export type SitePatch = z.infer<typeof sitePatchSchema>;
export type ContactInput = z.infer<typeof contactInputSchema>;
export type ContactPatch = z.infer<typeof contactPatchSchema>;
export type CustomerCreate = z.input<typeof customerCreateSchema>;
export type CustomerPatch = z.infer<typeof customerPatchSchema>;
export type Customer = z.infer<typeof customerSchema>;
export type Site = Customer['sites'][number];
export type Contact = Customer['contacts'][number];
export type CustomerListFilter = z.infer<typeof customerListQuerySchema>;

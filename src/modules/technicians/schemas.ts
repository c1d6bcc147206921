import { z } from '@hono/zod-openapi';
import { amountPattern, currencyExponent, currencyPattern } from '../../shared/money.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const code = text(60).regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only');

const skill = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,59}$/, 'a tag of letters, digits and . _ - (e.g. "hvac", "boiler-gas")');
const skills = z
  .array(skill)
  .max(100)
  .transform((list) => [...new Set(list)].sort())
  .openapi({
    description: 'Skill tags; stored lower-case, de-duplicated and sorted',
    example: ['boiler-gas', 'hvac'],
  });

/** Money per hour. More decimals than the currency has would be silently rounded, so they are refused. */
export const costRateSchema = z
  .strictObject({
    amount: z
      .string()
      .regex(amountPattern, 'a decimal amount such as "45.00"')
      .refine((v) => !v.startsWith('-'), 'must not be negative'),
    currency: z.string().regex(currencyPattern, 'ISO 4217 code, e.g. "EUR"'),
  })
  .refine((m) => (m.amount.split('.')[1]?.length ?? 0) <= currencyExponent(m.currency), {
    message: 'more decimals than the currency has',
    path: ['amount'],
  })
  .openapi('CostRate', { description: 'Cost per hour' });

export const technicianCreateSchema = z
  .strictObject({
    code,
    name: text(200),
    region: text(80),
    skills: skills.default([]),
    homeVanWarehouseId: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .openapi({ description: 'A warehouse of kind van' }),
    costRate: costRateSchema,
    email: z.email().max(254).nullable().optional(),
    phone: text(40).nullable().optional(),
  })
  .openapi('TechnicianCreate');

export const technicianPatchSchema = z
  .strictObject({
    code: code.optional(),
    name: text(200).optional(),
    region: text(80).optional(),
    skills: skills.optional(),
    homeVanWarehouseId: z.string().min(1).max(64).nullable().optional(),
    costRate: costRateSchema.optional(),
    email: z.email().max(254).nullable().optional(),
    phone: text(40).nullable().optional(),
  })
  .openapi('TechnicianPatch');

export const technicianSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    region: z.string(),
    skills: z.array(z.string()),
    homeVanWarehouseId: z.string().nullable(),
    costRate: z.object({ amount: z.string(), currency: z.string() }),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.enum(['active', 'archived']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Technician');

export const technicianListQuerySchema = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Name or code contains (case-insensitive)' }),
  code: z.string().max(60).optional(),
  region: z.string().max(80).optional(),
  skill: skill.optional().openapi({ description: 'Has this skill tag' }),
  homeVanWarehouseId: z.string().max(64).optional(),
  status: z.enum(['active', 'archived']).optional(),
});

export type TechnicianCreate = z.input<typeof technicianCreateSchema>;
export type TechnicianPatch = z.input<typeof technicianPatchSchema>;
export type Technician = z.infer<typeof technicianSchema>;
export type TechnicianListFilter = z.input<typeof technicianListQuerySchema>;

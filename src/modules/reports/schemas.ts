import { z } from '@hono/zod-openapi';

const id = z.string().min(1).max(64);
const date = z.iso.date();

/** Longest period one report request may span: reports scan the period's records. */
export const MAX_REPORT_DAYS = 3 * 366;

export const reportFormats = ['json', 'csv'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const baseQuery = {
  from: date.openapi({ description: 'First day of the period (inclusive)', example: '2026-03-01' }),
  to: date.openapi({ description: 'Last day of the period (inclusive)', example: '2026-03-31' }),
  region: z.string().min(1).max(80).optional(),
  customerId: id.optional(),
  contractId: id.optional(),
  format: z.enum(reportFormats).default('json').openapi({ description: 'json (default) or csv' }),
};

export const reportQuerySchema = z.object(baseQuery);
export type ReportQuery = z.infer<typeof reportQuerySchema>;
export type ReportFilter = Omit<ReportQuery, 'format'>;

/** ISO weekdays, 1 = Monday … 7 = Sunday. */
const workingDaysSchema = z
  .string()
  .regex(
    /^[1-7](,[1-7]){0,6}$/,
    'ISO weekdays separated by commas, 1 = Monday … 7 = Sunday, e.g. "1,2,3,4,5"',
  )
  .transform((v) => [...new Set(v.split(',').map(Number))].sort())
  .openapi({ example: '1,2,3,4,5' });

export const laborQuerySchema = z.object({
  ...baseQuery,
  hoursPerDay: z
    .string()
    .regex(/^\d{1,2}(\.\d{1,2})?$/, 'hours as a decimal, e.g. "8" or "7.5"')
    .refine((v) => Number(v) > 0 && Number(v) <= 24, 'between 0 and 24 hours')
    .default('8')
    .openapi({ description: 'Available hours per working day (default 8)' }),
  workingDays: workingDaysSchema
    .default([1, 2, 3, 4, 5])
    .openapi({ description: 'Default Monday to Friday' }),
});
export type LaborQuery = z.infer<typeof laborQuerySchema>;
export type LaborFilter = Omit<LaborQuery, 'format'>;

export const serviceRevenueRowSchema = z
  .object({
    customerId: z.string(),
    customerName: z.string(),
    contractId: z.string().nullable(),
    contractNumber: z.string().nullable(),
    currency: z.string(),
    documents: z.number().int(),
    workOrderRevenue: z.string(),
    recurringFeeRevenue: z.string(),
    credits: z.string(),
    gross: z.string(),
    discount: z.string(),
    covered: z.string(),
    netRevenue: z.string(),
  })
  .openapi('ServiceRevenueRow');
export type ServiceRevenueRow = z.infer<typeof serviceRevenueRowSchema>;

export const consumptionRowSchema = z
  .object({
    itemId: z.string(),
    sku: z.string(),
    itemName: z.string(),
    category: z.string(),
    unit: z.string(),
    warehouseId: z.string(),
    warehouseCode: z.string(),
    warehouseRegion: z.string(),
    issued: z.string(),
    returned: z.string(),
    consumed: z.string(),
    unitCost: z.string(),
    costValue: z.string(),
    currency: z.string(),
    workOrders: z.number().int(),
  })
  .openapi('InventoryConsumptionRow');
export type ConsumptionRow = z.infer<typeof consumptionRowSchema>;

export const laborRowSchema = z
  .object({
    technicianId: z.string(),
    technicianCode: z.string(),
    technicianName: z.string(),
    region: z.string(),
    workingDays: z.number().int(),
    availableHours: z.string(),
    recordedHours: z.string(),
    billableHours: z.string(),
    nonBillableHours: z.string(),
    recordedPct: z.string().openapi({ description: 'recorded ÷ available × 100, 1 decimal' }),
    billablePct: z.string().openapi({ description: 'billable ÷ available × 100, 1 decimal (utilization)' }),
  })
  .openapi('LaborUtilizationRow');
export type LaborRow = z.infer<typeof laborRowSchema>;

export const profitabilityRowSchema = z
  .object({
    contractId: z.string(),
    contractNumber: z.string(),
    customerId: z.string(),
    customerName: z.string(),
    currency: z.string(),
    recurringFees: z.string(),
    billed: z.string(),
    partsCost: z.string(),
    laborCost: z.string(),
    margin: z.string(),
    workOrders: z.number().int(),
    laborHours: z.string(),
  })
  .openapi('ContractProfitabilityRow');
export type ProfitabilityRow = z.infer<typeof profitabilityRowSchema>;

export const reportEnvelope = <T extends z.ZodType>(name: string, row: T) =>
  z
    .object({
      report: z.string(),
      from: z.string(),
      to: z.string(),
      filters: z.record(z.string(), z.unknown()),
      rows: z.array(row),
    })
    .openapi(name);

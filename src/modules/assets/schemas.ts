import { z } from '@hono/zod-openapi';

export const assetStatuses = ['ordered', 'installed', 'in_service', 'moved', 'disposed'] as const;
export type AssetStatus = (typeof assetStatuses)[number];
/** The statuses an asset may be created in; moved and disposed are reached only through their own events. */
export const initialAssetStatuses = ['ordered', 'installed', 'in_service'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const ref = z.string().min(1).max(64);
const date = z.iso.date().openapi({ example: '2024-03-01', description: 'Calendar date YYYY-MM-DD' });
const externalRefs = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/), z.string().min(1).max(200));

/** A warranty that ends before the equipment was installed is a typing error, never a real contract. */
function warrantyAfterInstall(
  value: {
    installDate?: string | null;
    warrantyPartsUntil?: string | null;
    warrantyLaborUntil?: string | null;
  },
  ctx: z.RefinementCtx,
): void {
  const install = value.installDate;
  if (!install) return;
  for (const field of ['warrantyPartsUntil', 'warrantyLaborUntil'] as const) {
    const until = value[field];
    if (until && until < install) {
      ctx.addIssue({ code: 'custom', path: [field], message: `must not be before installDate ${install}` });
    }
  }
}

export const assetCreateSchema = z
  .strictObject({
    serialNumber: text(100),
    itemId: ref,
    name: text(200).optional(),
    customerId: ref,
    siteId: ref,
    costCenter: text(40).optional(),
    status: z.enum(initialAssetStatuses).optional().openapi({
      description:
        'Defaults to "ordered" when bought on a purchase order and not yet installed, else "installed"',
    }),
    installDate: date.optional(),
    warrantyPartsUntil: date.optional().openapi({ description: 'Last day parts are under warranty' }),
    warrantyLaborUntil: date.optional().openapi({ description: 'Last day labor is under warranty' }),
    purchaseDate: date.optional(),
    purchaseRef: text(100).optional().openapi({ description: 'Purchase order reference' }),
    parentAssetId: ref.optional().openapi({ description: 'The asset this one is a component of' }),
    notes: text(2000).optional(),
    externalRefs: externalRefs.optional(),
  })
  .superRefine(warrantyAfterInstall)
  .openapi('AssetCreate');

/** Location and cost center are absent on purpose: changing them is a move (POST /assets/{id}/move). */
export const assetPatchSchema = z
  .strictObject({
    serialNumber: text(100).optional(),
    itemId: ref.optional(),
    name: text(200).nullable().optional(),
    installDate: date.nullable().optional(),
    warrantyPartsUntil: date.nullable().optional(),
    warrantyLaborUntil: date.nullable().optional(),
    purchaseDate: date.nullable().optional(),
    purchaseRef: text(100).nullable().optional(),
    parentAssetId: ref.nullable().optional(),
    notes: text(2000).nullable().optional(),
    externalRefs: externalRefs.optional(),
  })
  .openapi('AssetPatch');

export const meterSnapshotSchema = z
  .object({ value: z.string(), readingAt: z.string() })
  .openapi('AssetMeter');

export const assetSchema = z
  .object({
    id: z.string(),
    serialNumber: z.string(),
    itemId: z.string(),
    name: z.string().nullable(),
    customerId: z.string(),
    siteId: z.string(),
    costCenter: z.string().nullable(),
    status: z.enum(assetStatuses),
    installDate: z.string().nullable(),
    warrantyPartsUntil: z.string().nullable(),
    warrantyLaborUntil: z.string().nullable(),
    purchaseDate: z.string().nullable(),
    purchaseRef: z.string().nullable(),
    disposalDate: z.string().nullable(),
    disposalReason: z.string().nullable(),
    parentAssetId: z.string().nullable(),
    meter: meterSnapshotSchema.nullable().openapi({ description: 'Latest running-hours reading' }),
    notes: z.string().nullable(),
    bookValue: z.string().nullable().openapi({
      description:
        'Book value from the ERP (decimal string, company currency) after the last posted depreciation',
    }),
    accumulatedDepreciation: z
      .string()
      .nullable()
      .openapi({ description: 'Depreciation posted so far (ERP)' }),
    lastDepreciationDate: z
      .string()
      .nullable()
      .openapi({ description: 'Date of the last depreciation posted in the ERP (YYYY-MM-DD)' }),
    externalRefs: z.record(z.string(), z.string()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Asset');

export const assetListQuerySchema = z.object({
  customerId: ref.optional(),
  siteId: ref.optional(),
  status: z.enum(assetStatuses).optional(),
  itemId: ref.optional(),
  serialNumber: z.string().max(100).optional(),
  costCenter: z.string().max(40).optional(),
  parentAssetId: ref.optional(),
  warrantyActiveOn: date.optional().openapi({ description: 'Parts or labor warranty covers this date' }),
  updatedSince: z.iso.datetime().optional(),
});

export const warrantyStatusSchema = z
  .object({
    partsCovered: z.boolean(),
    laborCovered: z.boolean(),
    partsUntil: z.string().nullable(),
    laborUntil: z.string().nullable(),
  })
  .openapi('WarrantyStatus');

export type AssetCreate = z.input<typeof assetCreateSchema>;
export type AssetPatch = z.infer<typeof assetPatchSchema>;
export type Asset = z.infer<typeof assetSchema>;
export type AssetListFilter = z.infer<typeof assetListQuerySchema>;
export type WarrantyStatus = z.infer<typeof warrantyStatusSchema>;

const amount = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'a decimal string with at most 6 decimals, e.g. "1850.00"');

/**
 * Valuation kept by the accounting side (the ERP): book value, accumulated depreciation, the date of the
 * last posted depreciation, and the cost center the asset is booked on. `null` clears a value.
 */
export const assetValuationSchema = z
  .strictObject({
    bookValue: amount.nullable().optional(),
    accumulatedDepreciation: amount.nullable().optional(),
    lastDepreciationDate: date.nullable().optional(),
    costCenter: text(40).nullable().optional(),
  })
  .openapi('AssetValuation');
export type AssetValuation = z.infer<typeof assetValuationSchema>;

const purchaseLineSchema = z.looseObject({
  lineId: z.union([z.string().min(1).max(60), z.number().int()]).optional(),
  sku: text(100),
  quantity: z.union([z.string(), z.number()]),
  name: z.string().max(200).nullable().optional(),
});

/** A purchase order of equipment: every unit of every line becomes one asset (see purchase.service.ts). */
export const assetPurchaseInputSchema = z
  .strictObject({
    purchaseRef: text(60),
    supplierReference: text(100).nullable().optional(),
    purchaseDate: date.nullable().optional(),
    customerId: ref,
    siteId: ref,
    costCenter: text(40).nullable().optional(),
    status: z.enum(initialAssetStatuses).default('ordered'),
    lines: z.array(purchaseLineSchema).max(500),
  })
  .openapi('AssetPurchaseInput');
export type AssetPurchaseInput = z.input<typeof assetPurchaseInputSchema>;

export const assetPurchaseSchema = z
  .object({
    id: z.string(),
    purchaseRef: z.string(),
    supplierReference: z.string().nullable(),
    purchaseDate: z.string().nullable(),
    customerId: z.string(),
    siteId: z.string(),
    costCenter: z.string().nullable(),
    status: z.enum(initialAssetStatuses),
    lines: z.array(z.record(z.string(), z.unknown())),
    units: z.array(z.object({ lineRef: z.string(), unitNo: z.number().int(), assetId: z.string() })),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AssetPurchase');
export type AssetPurchase = z.infer<typeof assetPurchaseSchema>;

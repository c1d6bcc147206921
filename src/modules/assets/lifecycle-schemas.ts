import { z } from '@hono/zod-openapi';
import { assetSchema, assetStatuses } from './schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const ref = z.string().min(1).max(64);
const date = z.iso.date().openapi({ example: '2024-03-01' });
const timestamp = z.iso.datetime({ offset: true }).openapi({ example: '2024-03-01T09:30:00Z' });

/** Moves and disposals carry data of their own, so they have their own endpoints rather than a `to` value here. */
export const transitionTargets = ['installed', 'in_service'] as const;

export const assetTransitionSchema = z
  .strictObject({
    to: z.enum(transitionTargets),
    effectiveDate: date
      .optional()
      .openapi({ description: 'Defaults to today (UTC); "installed" sets installDate' }),
    reason: text(500).optional(),
  })
  .openapi('AssetTransition');

export const assetMoveSchema = z
  .strictObject({
    siteId: ref.optional(),
    customerId: ref
      .optional()
      .openapi({ description: 'Moving to another customer needs a siteId of that customer' }),
    costCenter: text(40).nullable().optional(),
    movedAt: timestamp.optional().openapi({ description: 'Defaults to now' }),
    reason: text(500),
  })
  .refine((v) => v.customerId === undefined || v.siteId !== undefined, {
    message: 'a move to another customer must name the site',
    path: ['siteId'],
  })
  .openapi('AssetMove');

export const assetDisposeSchema = z
  .strictObject({ disposalDate: date, disposalReason: text(500) })
  .openapi('AssetDispose');

export const meterValuePattern = /^\d{1,12}(\.\d{1,3})?$/;

export const meterReadingInputSchema = z
  .strictObject({
    readingAt: timestamp,
    value: z
      .string()
      .regex(
        meterValuePattern,
        'running hours as a non-negative decimal string with at most 3 decimals, e.g. "1520.5"',
      ),
    source: text(100)
      .default('manual')
      .openapi({ description: 'Who or what read the meter (manual, iot, work_order/…)' }),
    meterReplaced: z.boolean().default(false).openapi({
      description: 'The meter was replaced or reset, so a lower value than the previous one is accepted',
    }),
  })
  .openapi('MeterReadingInput');

export const meterReadingSchema = z
  .object({
    id: z.string(),
    assetId: z.string(),
    readingAt: z.string(),
    value: z.string(),
    source: z.string(),
    meterReplaced: z.boolean(),
    recordedAt: z.string(),
  })
  .openapi('MeterReading');

const placeSchema = z.object({
  customerId: z.string(),
  siteId: z.string(),
  costCenter: z.string().nullable(),
});

export const assetMoveRecordSchema = z
  .object({
    id: z.string(),
    assetId: z.string(),
    movedAt: z.string(),
    from: placeSchema,
    to: placeSchema,
    reason: z.string(),
    cascadedFromAssetId: z.string().nullable().openapi({ description: 'Moved along with this parent asset' }),
    detachedFromAssetId: z
      .string()
      .nullable()
      .openapi({ description: 'The move took the asset off this parent' }),
    recordedAt: z.string(),
  })
  .openapi('AssetMoveRecord');

export const statusChangeSchema = z
  .object({
    id: z.string(),
    assetId: z.string(),
    fromStatus: z.enum(assetStatuses).nullable(),
    toStatus: z.enum(assetStatuses),
    effectiveAt: z
      .string()
      .openapi({ description: 'A date for transitions and disposals, the timestamp for moves' }),
    reason: z.string().nullable(),
    recordedAt: z.string(),
  })
  .openapi('AssetStatusChange');

export const assetHistoryEntrySchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('status_change'), at: z.string(), statusChange: statusChangeSchema }),
    z.object({ kind: z.literal('move'), at: z.string(), move: assetMoveRecordSchema }),
    z.object({ kind: z.literal('meter_reading'), at: z.string(), reading: meterReadingSchema }),
  ])
  .openapi('AssetHistoryEntry');

export const assetHistorySchema = z
  .object({ assetId: z.string(), entries: z.array(assetHistoryEntrySchema) })
  .openapi('AssetHistory');

export const moveResultSchema = z
  .object({ asset: assetSchema, moves: z.array(assetMoveRecordSchema) })
  .openapi('AssetMoveResult');

export type AssetTransition = z.input<typeof assetTransitionSchema>;
export type AssetMove = z.input<typeof assetMoveSchema>;
export type AssetDispose = z.input<typeof assetDisposeSchema>;
export type MeterReadingInput = z.input<typeof meterReadingInputSchema>;
export type MeterReading = z.infer<typeof meterReadingSchema>;
export type AssetMoveRecord = z.infer<typeof assetMoveRecordSchema>;
export type AssetStatusChange = z.infer<typeof statusChangeSchema>;
export type AssetHistoryEntry = z.infer<typeof assetHistoryEntrySchema>;
export type AssetHistory = z.infer<typeof assetHistorySchema>;

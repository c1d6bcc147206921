import { z } from '@hono/zod-openapi';
import { quantityPattern } from '../../shared/quantity.js';
import { laborTypes } from './work-order-types.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });
/** Labor longer than a day is a typing mistake far more often than a real shift. */
export const MAX_LABOR_MINUTES = 24 * 60;
/** Decoded PNG bytes; a signature pad image is a few KiB, this leaves room for high-DPI pads. */
export const MAX_SIGNATURE_PNG_BYTES = 200 * 1024;

export const laborInputSchema = z
  .strictObject({
    technicianId: id.optional().openapi({ description: "Default: the work order's technician" }),
    laborType: z.enum(laborTypes).default('normal'),
    startedAt: instant.optional(),
    endedAt: instant.optional(),
    durationMinutes: z.number().int().min(1).max(MAX_LABOR_MINUTES).optional(),
    billable: z.boolean().default(true),
    note: text(1000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.endedAt !== undefined && v.startedAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['startedAt'], message: 'endedAt needs startedAt' });
      return;
    }
    if (v.endedAt === undefined && v.durationMinutes === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationMinutes'],
        message: 'give startedAt and endedAt, or durationMinutes',
      });
      return;
    }
    if (v.startedAt !== undefined && v.endedAt !== undefined) {
      const ms = Date.parse(v.endedAt) - Date.parse(v.startedAt);
      if (ms <= 0)
        ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'endedAt must be after startedAt' });
      else if (ms > MAX_LABOR_MINUTES * 60_000)
        ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'a labor entry cannot exceed 24 hours' });
      else if (
        v.durationMinutes !== undefined &&
        v.durationMinutes !== Math.max(1, Math.round(ms / 60_000))
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['durationMinutes'],
          message: 'durationMinutes does not match startedAt..endedAt',
        });
      }
    }
  })
  .openapi('LaborInput');

export const partInputSchema = z
  .strictObject({
    itemId: id,
    quantity: z
      .string()
      .regex(quantityPattern, 'a decimal quantity with at most 3 decimals, e.g. "1" or "0.5"')
      .refine((q) => !q.startsWith('-') && !/^0+(\.0+)?$/.test(q), 'must be greater than zero'),
    serials: z.array(text(100)).max(1000).default([]),
    warehouseId: id.optional().openapi({ description: "Default: the technician's home van" }),
    assetId: id.optional().openapi({ description: 'Which of the work order assets the part went into' }),
  })
  .superRefine((v, ctx) => {
    if (new Set(v.serials).size !== v.serials.length)
      ctx.addIssue({ code: 'custom', path: ['serials'], message: 'serials repeat' });
  })
  .openapi('PartInput');

export const answersInputSchema = z
  .strictObject({
    answers: z
      .array(
        z.strictObject({
          key: z.string().min(1).max(60),
          value: z
            .union([z.string().max(2000), z.number(), z.null()])
            .openapi({ description: '"pass"/"fail", a number, text, a photo reference, or null to clear' }),
        }),
      )
      .min(1)
      .max(200),
  })
  .openapi('ChecklistAnswersInput');

export const signatureInputSchema = z
  .strictObject({
    signerName: text(200),
    signedAt: instant.optional(),
    imagePngBase64: z
      .string()
      .max(
        Math.ceil(MAX_SIGNATURE_PNG_BYTES / 3) * 4 + 4,
        `the image may be at most ${MAX_SIGNATURE_PNG_BYTES} bytes`,
      )
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 without a data: prefix'),
    reportHash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 (hex) of the report being signed'),
  })
  .openapi('SignatureInput');

export const completeInputSchema = z
  .strictObject({ completedAt: instant.optional() })
  .openapi('WorkOrderComplete');

export const correctionInputSchema = z
  .strictObject({
    reason: text(1000),
    changes: z
      .strictObject({
        title: text(200).optional(),
        description: text(5000).nullable().optional(),
        completedAt: instant.optional(),
        laborAdd: z.array(laborInputSchema).max(100).optional(),
        laborRemove: z.array(id).max(100).optional(),
        partsAdd: z.array(partInputSchema).max(100).optional(),
        partsRemove: z.array(id).max(100).optional(),
        answers: answersInputSchema.shape.answers.optional(),
      })
      .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'name at least one change' }),
  })
  .openapi('WorkOrderCorrection');

export type LaborInput = z.input<typeof laborInputSchema>;
export type PartInput = z.input<typeof partInputSchema>;
export type AnswersInput = z.input<typeof answersInputSchema>;
export type SignatureInput = z.input<typeof signatureInputSchema>;
export type CompleteInput = z.input<typeof completeInputSchema>;
export type CorrectionInput = z.input<typeof correctionInputSchema>;

import { z } from '@hono/zod-openapi';
import { ImportKind } from '../connectors/file-exchange/index.js';

export const importStatuses = ['queued', 'running', 'completed', 'duplicate', 'refused', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
/** Statuses after which nothing changes any more. */
export const finalImportStatuses: readonly ImportStatus[] = ['completed', 'duplicate', 'refused', 'failed'];

export const importFormats = ['csv', 'jsonl', 'xml'] as const;

/** Rejected rows stored per job; beyond, rejects are counted only (a bad file can have millions). */
export const MAX_KEPT_REJECTS = 10_000;

/** Most file systems' limit for one name; a longer one could not even exist on the user's machine. */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * A file name as the user's machine called it: it says what the file holds (customers*.csv …) and is kept
 * for people to recognise. No folders, no control characters, nothing starting with a dot, and at most
 * 255 bytes in UTF-8 (200 characters of a non-Latin script can be 600 bytes). The upload is stored under
 * the job id, so the name never reaches the file system.
 */
const fileName = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^/\\\u0000-\u001f\u007f.][^/\\\u0000-\u001f\u007f]*$/, 'a plain file name, e.g. customers.csv')
  .refine((name) => Buffer.byteLength(name, 'utf8') <= MAX_FILE_NAME_BYTES, {
    message: `at most ${MAX_FILE_NAME_BYTES} bytes in UTF-8: shorten the file name`,
  });

export const importUploadQuerySchema = z.object({
  fileName: fileName.openapi({
    description: 'The file name; its prefix and extension give kind and format when these are not set',
  }),
  kind: z
    .enum(ImportKind)
    .optional()
    .openapi({ description: 'What the file holds; default from the file name prefix' }),
  format: z
    .enum(importFormats)
    .optional()
    .openapi({ description: 'csv, jsonl or xml; default from the file name extension' }),
});

export const importJobSchema = z
  .object({
    id: z.string(),
    fileName: z.string(),
    kind: z.string(),
    format: z.enum(importFormats),
    bytes: z.number().int(),
    sha256: z.string(),
    requestedBy: z.string(),
    status: z.enum(importStatuses),
    rowsRead: z.number().int(),
    applied: z.number().int(),
    rejected: z.number().int(),
    rejectsKept: z
      .number()
      .int()
      .openapi({
        description: `Rejected rows listed under /rejects: the first ${MAX_KEPT_REJECTS} (and any file-level reject); the others are counted only. 0 once pruned`,
      }),
    prunedAt: z.string().nullable().openapi({
      description: 'When its rejected rows and its upload were removed, sync.historyDays after it ended',
    }),
    encoding: z.string().nullable(),
    message: z
      .string()
      .nullable()
      .openapi({ description: 'Why it was refused, failed or taken as a duplicate' }),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ImportJob');
export type ImportJob = z.infer<typeof importJobSchema>;

export const importRejectSchema = z
  .object({
    rowNumber: z
      .number()
      .int()
      .openapi({ description: 'Line (CSV, JSON Lines) or record number (XML); 0 for the file itself' }),
    reason: z.string(),
    raw: z.string().openapi({ description: 'The row as sent (at most 4 KiB)' }),
  })
  .openapi('ImportReject');
export type ImportReject = z.infer<typeof importRejectSchema>;

import { z } from 'zod';
import { FileExchangeError, FileRefusal, isFileExchangeError } from './file-exchange-error.js';
import { assertSafeRelativeName, openRegularFileInside } from './safe-path.js';

export const ExportFormat = { csv: 'csv', jsonl: 'jsonl', xml: 'xml' } as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

/** Written next to every exported file as `<file>.manifest.json`, after the file itself is durable. */
export interface FileManifest {
  file: string;
  records: number;
  sha256: string;
  bytes: number;
  createdAt: string;
  flow: string;
  format: ExportFormat;
  schemaVersion: number;
  /** What the file is about when it holds one document (e.g. the billing document id of a UBL invoice). */
  subject?: string;
}

export const MANIFEST_SUFFIX = '.manifest.json';

export function manifestNameFor(fileName: string): string {
  return `${fileName}${MANIFEST_SUFFIX}`;
}

/**
 * What an inbound manifest may say. Producers other than us write these, so only `file` is required;
 * `sha256` (when present) must match the data, `kind` overrides the file-name prefix.
 */
const inboundManifestSchema = z.object({
  file: z.string().min(1).max(255),
  kind: z.string().min(1).max(64).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/i)
    .optional(),
  records: z.number().int().nonnegative().optional(),
  format: z.enum(['csv', 'jsonl', 'xml']).optional(),
});
export type InboundManifest = z.infer<typeof inboundManifestSchema>;

const MAX_MANIFEST_BYTES = 64 * 1024;

/** Reads `<fileName>.manifest.json` in `dir` if there is one; refuses one that names another file. */
export async function readInboundManifest(
  dir: string,
  fileName: string,
): Promise<InboundManifest | undefined> {
  let text: string;
  try {
    const opened = await openRegularFileInside(dir, manifestNameFor(fileName), {
      maxBytes: MAX_MANIFEST_BYTES,
      refuseSymlinks: true,
    });
    try {
      text = (await opened.handle.readFile()).toString('utf8');
    } finally {
      await opened.handle.close();
    }
  } catch (error) {
    if (isFileExchangeError(error) && error.reason === FileRefusal.notFound) return undefined;
    if (isFileExchangeError(error)) {
      throw new FileExchangeError(
        FileRefusal.manifestInvalid,
        `manifest of ${fileName} refused: ${error.message}`,
        {},
        error,
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FileExchangeError(FileRefusal.manifestInvalid, `manifest of ${fileName} is not valid JSON`);
  }
  const parsed = inboundManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new FileExchangeError(
      FileRefusal.manifestInvalid,
      `manifest of ${fileName} is invalid: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  assertSafeRelativeName(parsed.data.file);
  if (parsed.data.file !== fileName) {
    throw new FileExchangeError(
      FileRefusal.manifestInvalid,
      `manifest of ${fileName} names a different file`,
      {
        named: parsed.data.file.slice(0, 255),
      },
    );
  }
  return parsed.data;
}

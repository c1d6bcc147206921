import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { createAtomicFile, writeFileAtomic, type AtomicFile } from './atomic-file.js';
import { FileExchangeError, FileRefusal, errnoCode } from './file-exchange-error.js';
import { assertFlowName, exportFileName } from './file-naming.js';
import { manifestNameFor, type ExportFormat, type FileManifest } from './manifest.js';

export const EXPORT_SCHEMA_VERSION = 1;

export interface OpenExportFileOptions {
  /** The exchange folder (must exist). */
  dir: string;
  flow: string;
  format: ExportFormat;
  /** Caller-owned sequence (e.g. the flow's batch number); defaults to a per-process counter per flow. */
  seq?: number;
  clock?: () => Date;
  schemaVersion?: number;
  subject?: string;
}

/**
 * One outbound file in the making. Records are acknowledged by the caller only after `commit()` resolves:
 * by then the data file and its manifest are fsynced, renamed into place and the folder entry is flushed.
 */
export interface ExportFile {
  readonly name: string;
  readonly path: string;
  write(chunk: string): Promise<void>;
  /** Counts records for the manifest; writers call it as they serialise. */
  addRecords(count: number): void;
  commit(): Promise<FileManifest>;
  abort(): Promise<void>;
}

const counters = new Map<string, number>();

function nextSeq(flow: string): number {
  const next = (counters.get(flow) ?? 0) + 1;
  counters.set(flow, next);
  return next;
}

export async function openExportFile(options: OpenExportFileOptions): Promise<ExportFile> {
  assertFlowName(options.flow);
  const clock = options.clock ?? (() => new Date());
  const dir = await realpath(options.dir).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') {
      throw new FileExchangeError(FileRefusal.notFound, `export folder ${options.dir} does not exist`, {
        dir: options.dir,
      });
    }
    throw error;
  });
  const createdAt = clock();
  const name = exportFileName({
    at: createdAt,
    flow: options.flow,
    seq: options.seq ?? nextSeq(options.flow),
    ext: options.format,
  });
  const filePath = path.join(dir, name);
  const data: AtomicFile = await createAtomicFile(filePath, { noClobber: true });
  let records = 0;

  return {
    name,
    path: filePath,
    write: (chunk) => data.write(chunk),
    addRecords(count) {
      records += count;
    },
    async commit() {
      const result = await data.commit();
      const manifest: FileManifest = {
        file: name,
        records,
        sha256: result.sha256,
        bytes: result.bytes,
        createdAt: createdAt.toISOString(),
        flow: options.flow,
        format: options.format,
        schemaVersion: options.schemaVersion ?? EXPORT_SCHEMA_VERSION,
        ...(options.subject === undefined ? {} : { subject: options.subject }),
      };
      // The manifest is published last: a consumer that sees it knows the data file is complete.
      await writeFileAtomic(path.join(dir, manifestNameFor(name)), `${JSON.stringify(manifest, null, 2)}\n`, {
        noClobber: true,
      });
      return manifest;
    },
    abort: () => data.abort(),
  };
}

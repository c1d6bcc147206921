import type { ExportFormat } from './manifest.js';
import type { ImportKind } from './import-kinds.js';

export interface ProcessedFileMeta {
  fileName: string;
  kind: ImportKind;
  format: ExportFormat;
  bytes: number;
  rowsRead: number;
  applied: number;
  rejected: number;
  processedAt: string;
  archivedAs: string;
  rejectsFile?: string;
}

/**
 * Remembers which file contents (by sha256) were imported, so dropping the same file again is a no-op.
 * The production implementation is a table in the hub database (owned by the sync engine); the in-memory
 * one below serves tests and one-off CLI runs.
 */
export interface ProcessedFileStore {
  has(sha256: string): Promise<boolean>;
  record(sha256: string, meta: ProcessedFileMeta): Promise<void>;
}

export class InMemoryProcessedFileStore implements ProcessedFileStore {
  readonly entries = new Map<string, ProcessedFileMeta>();

  async has(sha256: string): Promise<boolean> {
    return this.entries.has(sha256);
  }

  async record(sha256: string, meta: ProcessedFileMeta): Promise<void> {
    if (!this.entries.has(sha256)) this.entries.set(sha256, meta);
  }
}

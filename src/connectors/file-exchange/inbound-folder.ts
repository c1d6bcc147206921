import { lstat, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FileExchangeError, FileRefusal, errnoCode, isFileExchangeError } from './file-exchange-error.js';
import { formatStamp } from './file-naming.js';
import { formatFromFileName, isImportKind, kindFromFileName, type ImportKind } from './import-kinds.js';
import type { ApplyRow } from './inbound/apply-row.js';
import { moveFile, quarantineFile } from './inbound/file-mover.js';
import { importFile } from './inbound/import-file.js';
import {
  FileStatus,
  hashFile,
  isIgnoredName,
  type FileOutcome,
  type InboundFolders,
  type PollReport,
} from './inbound/folder-layout.js';
import { StabilityTracker, sameSignature } from './inbound/stability-tracker.js';
import { resolveLimits, type FileLimits } from './limits.js';
import { manifestNameFor, readInboundManifest, type ExportFormat, type InboundManifest } from './manifest.js';
import type { ProcessedFileStore } from './processed-file-store.js';
import type { ReaderOverrides } from './readers/open-reader.js';
import { createRejectsWriter, rejectsFileNameFor } from './rejects-writer.js';
import { openRegularFileInside, printable } from './safe-path.js';

export interface InboundFolderOptions extends InboundFolders {
  store: ProcessedFileStore;
  apply: ApplyRow;
  limits?: Partial<FileLimits>;
  /** Overrides for files detection gets wrong, by kind and file name. */
  overridesFor?: (kind: ImportKind, fileName: string) => ReaderOverrides | undefined;
  /** Only take files that come with a `<file>.manifest.json`. Default false. */
  requireManifest?: boolean;
  isRowError?: (error: unknown) => boolean;
  clock?: () => Date;
}

/**
 * A watched import folder. Each poll takes the files that have stopped changing, imports each one
 * (rows validated, good rows applied, bad rows into `<archived name>.rejects.csv`), records its content hash
 * and moves it to archive/. Hostile or unreadable files go to quarantine/ with a `.reason.json`.
 */
export class InboundFolder {
  private readonly options: InboundFolderOptions;
  private readonly limits: FileLimits;
  private readonly tracker = new StabilityTracker();
  private readonly clock: () => Date;
  private running: Promise<PollReport> | undefined;

  constructor(options: InboundFolderOptions) {
    this.options = options;
    this.limits = resolveLimits(options.limits);
    this.clock = options.clock ?? (() => new Date());
  }

  /** One scan. Concurrent calls share the scan in progress. */
  poll(): Promise<PollReport> {
    this.running ??= this.scan().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async scan(): Promise<PollReport> {
    const report: PollReport = { outcomes: [], waiting: [] };
    this.tracker.beginPoll();
    const names = (await readdir(this.options.inbox)).sort();
    for (const name of names) {
      if (isIgnoredName(name)) continue;
      const entry = await lstat(path.join(this.options.inbox, name)).catch((error: unknown) => {
        if (errnoCode(error) === 'ENOENT') return undefined;
        throw error;
      });
      if (entry === undefined || entry.isDirectory()) continue;
      if (entry.isSymbolicLink() || !entry.isFile()) {
        const reason = entry.isSymbolicLink() ? FileRefusal.symlink : FileRefusal.notRegularFile;
        const message = entry.isSymbolicLink()
          ? 'symbolic links are not taken from the import folder'
          : 'not a regular file';
        report.outcomes.push(
          await this.quarantine(name, new FileExchangeError(reason, `"${printable(name)}": ${message}`)),
        );
        continue;
      }
      const signature = { size: entry.size, mtimeMs: entry.mtimeMs, ino: entry.ino };
      if (!this.tracker.observe(name, signature)) {
        report.waiting.push(name);
        continue;
      }
      const outcome = await this.take(name, signature);
      if (outcome === undefined) report.waiting.push(name);
      else report.outcomes.push(outcome);
    }
    return report;
  }

  /** Imports one stable file; undefined when it turned out not to be ready. */
  private async take(
    name: string,
    signature: { size: number; mtimeMs: number; ino: number },
  ): Promise<FileOutcome | undefined> {
    let manifest: InboundManifest | undefined;
    try {
      manifest = await readInboundManifest(this.options.inbox, name);
    } catch (error) {
      if (isFileExchangeError(error)) return this.quarantine(name, error);
      throw error;
    }
    if (manifest === undefined && this.options.requireManifest) return undefined;
    const format = manifest?.format ?? formatFromFileName(name);
    if (format === undefined) {
      return this.quarantine(
        name,
        new FileExchangeError(
          FileRefusal.unsupportedType,
          `"${printable(name)}": file type not supported (use .csv, .tsv, .txt, .jsonl, .ndjson or .xml)`,
        ),
      );
    }
    const kind =
      manifest?.kind !== undefined && isImportKind(manifest.kind) ? manifest.kind : kindFromFileName(name);
    if (kind === undefined) {
      return this.quarantine(
        name,
        new FileExchangeError(
          FileRefusal.unknownKind,
          `"${printable(name)}": cannot tell what the file holds; name it customers*, items*, stock-levels*, price-lists* or purchase-receipts*`,
        ),
      );
    }
    let handle: FileHandle;
    try {
      ({ handle } = await openRegularFileInside(this.options.inbox, name, {
        maxBytes: this.limits.maxFileBytes,
        refuseSymlinks: true,
      }));
    } catch (error) {
      if (!isFileExchangeError(error)) throw error;
      if (error.reason === FileRefusal.notFound) return undefined;
      return this.quarantine(name, error);
    }
    try {
      const opened = await handle.stat();
      if (!sameSignature(signature, { size: opened.size, mtimeMs: opened.mtimeMs, ino: opened.ino }))
        return this.notReady(name);
      const sha256 = await hashFile(handle);
      const after = await handle.stat();
      if (!sameSignature(signature, { size: after.size, mtimeMs: after.mtimeMs, ino: after.ino }))
        return this.notReady(name);
      if (manifest?.sha256 !== undefined && manifest.sha256.toLowerCase() !== sha256) {
        return await this.quarantine(
          name,
          new FileExchangeError(
            FileRefusal.checksumMismatch,
            `"${printable(name)}": content does not match the sha256 in its manifest`,
          ),
          { kind, format, sha256 },
        );
      }
      const stamp = formatStamp(this.clock());
      const archivedName = `${stamp}_${name}`;
      if (await this.options.store.has(sha256)) {
        const movedTo = await this.archive(name, archivedName);
        return {
          fileName: name,
          status: FileStatus.duplicate,
          kind,
          format,
          sha256,
          movedTo,
          message: 'same content was imported before; nothing applied',
        };
      }
      return await this.importAndArchive({
        name,
        archivedName,
        handle,
        kind,
        format,
        sha256,
        bytes: after.size,
      });
    } finally {
      await handle.close();
    }
  }

  private async importAndArchive(file: {
    name: string;
    archivedName: string;
    handle: FileHandle;
    kind: ImportKind;
    format: ExportFormat;
    sha256: string;
    bytes: number;
  }): Promise<FileOutcome> {
    const { name, archivedName, kind, format, sha256 } = file;
    const rejects = createRejectsWriter(path.join(this.options.archive, rejectsFileNameFor(archivedName)));
    let result;
    try {
      result = await importFile({
        handle: file.handle,
        fileName: name,
        sha256,
        kind,
        format,
        apply: this.options.apply,
        rejects,
        limits: this.limits,
        overrides: this.options.overridesFor?.(kind, name) ?? {},
        isRowError: this.options.isRowError,
      });
    } catch (error) {
      result = { status: 'deferred' as const, error, rowsRead: 0, applied: 0, rejected: 0, encoding: '' };
    }
    if (result.status === 'refused') {
      await rejects.abort();
      return this.quarantine(name, result.error, { kind, format, sha256 });
    }
    if (result.status === 'deferred') {
      await rejects.abort();
      this.tracker.forget(name);
      const message = result.error instanceof Error ? result.error.message : String(result.error);
      return {
        fileName: name,
        status: FileStatus.deferred,
        kind,
        format,
        sha256,
        rowsRead: result.rowsRead,
        applied: result.applied,
        rejected: result.rejected,
        message,
      };
    }
    // Order matters for crash safety: rejects durable, then the hash recorded, then the move. A crash
    // before the record re-imports the file (rows are idempotent); after it, the next poll archives it as
    // a duplicate.
    const closed = await rejects.close();
    await this.options.store.record(sha256, {
      fileName: name,
      kind,
      format,
      bytes: file.bytes,
      rowsRead: result.rowsRead,
      applied: result.applied,
      rejected: result.rejected,
      processedAt: this.clock().toISOString(),
      archivedAs: archivedName,
      ...(closed === undefined ? {} : { rejectsFile: path.basename(closed.path) }),
    });
    const movedTo = await this.archive(name, archivedName);
    return {
      fileName: name,
      status: FileStatus.imported,
      kind,
      format,
      sha256,
      rowsRead: result.rowsRead,
      applied: result.applied,
      rejected: result.rejected,
      movedTo,
      ...(closed === undefined ? {} : { rejectsFile: closed.path }),
    };
  }

  private notReady(name: string): undefined {
    this.tracker.forget(name);
    return undefined;
  }

  private async archive(name: string, archivedName: string): Promise<string> {
    this.tracker.forget(name);
    const movedTo = await moveFile(this.options.inbox, name, this.options.archive, archivedName);
    await this.moveCompanionManifest(name, this.options.archive, archivedName);
    return movedTo;
  }

  private async quarantine(
    name: string,
    error: FileExchangeError,
    known: Partial<FileOutcome> = {},
  ): Promise<FileOutcome> {
    this.tracker.forget(name);
    const quarantinedName = `${formatStamp(this.clock())}_${name}`;
    const movedTo = await quarantineFile(this.options.inbox, name, this.options.quarantine, quarantinedName, {
      file: printable(name),
      reason: error.reason,
      message: error.message,
      at: this.clock().toISOString(),
    });
    await this.moveCompanionManifest(name, this.options.quarantine, quarantinedName);
    return {
      ...known,
      fileName: name,
      status: FileStatus.quarantined,
      movedTo,
      reason: error.reason,
      message: error.message,
    };
  }

  private async moveCompanionManifest(name: string, toDir: string, newName: string): Promise<void> {
    await moveFile(this.options.inbox, manifestNameFor(name), toDir, manifestNameFor(newName)).catch(
      (error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw error;
      },
    );
  }
}

export { ensureInboundFolders, FileStatus, hashFile, isIgnoredName } from './inbound/folder-layout.js';
export type { FileOutcome, InboundFolders, PollReport } from './inbound/folder-layout.js';

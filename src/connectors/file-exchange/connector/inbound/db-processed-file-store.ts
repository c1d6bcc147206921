import type { Kysely } from 'kysely';
import type { Database } from '../../../../platform/db/index.js';
import type { ImportKind } from '../../import-kinds.js';
import type { ExportFormat } from '../../manifest.js';
import type { ProcessedFileMeta, ProcessedFileStore } from '../../processed-file-store.js';
import type { FileExchangeTables } from './tables.js';

/**
 * Imported file contents by hash, in the hub database (migration 0015), so a re-dropped file is archived
 * as a duplicate even after a restart. Recording twice (two importers racing on one content) keeps the first.
 */
export class DbProcessedFileStore implements ProcessedFileStore {
  readonly #db: Kysely<Database & FileExchangeTables>;

  constructor(db: Kysely<Database>) {
    this.#db = db.withTables<FileExchangeTables>();
  }

  /**
   * Whether this content was imported. `as` narrows it to the same kind and format: the same bytes read
   * as another kind (a file first uploaded with the wrong kind) are another import, not a duplicate.
   */
  async has(sha256: string, as?: { kind: string; format: string }): Promise<boolean> {
    let query = this.#db.selectFrom('file_exchange_imports').select('sha256').where('sha256', '=', sha256);
    if (as !== undefined) query = query.where('kind', '=', as.kind).where('format', '=', as.format);
    return (await query.executeTakeFirst()) !== undefined;
  }

  async record(sha256: string, meta: ProcessedFileMeta): Promise<void> {
    await this.#db
      .insertInto('file_exchange_imports')
      .values({
        sha256,
        file_name: meta.fileName,
        kind: meta.kind,
        format: meta.format,
        bytes: meta.bytes,
        rows_read: meta.rowsRead,
        applied: meta.applied,
        rejected: meta.rejected,
        processed_at: meta.processedAt,
        archived_as: meta.archivedAs,
        rejects_file: meta.rejectsFile ?? null,
      })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  /** The most recent imports, newest first (CLI and tests). */
  async recent(limit = 20): Promise<(ProcessedFileMeta & { sha256: string })[]> {
    const rows = await this.#db
      .selectFrom('file_exchange_imports')
      .selectAll()
      .orderBy('processed_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      sha256: r.sha256,
      fileName: r.file_name,
      kind: r.kind as ImportKind,
      format: r.format as ExportFormat,
      bytes: Number(r.bytes),
      rowsRead: Number(r.rows_read),
      applied: Number(r.applied),
      rejected: Number(r.rejected),
      processedAt: r.processed_at,
      archivedAs: r.archived_as,
      ...(r.rejects_file !== null && { rejectsFile: r.rejects_file }),
    }));
  }
}

import { open } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { ExportFormat, ImportKind } from '../connectors/file-exchange/index.js';
import { isFileExchangeError, resolveLimits } from '../connectors/file-exchange/index.js';
import { importFile } from '../connectors/file-exchange/inbound/index.js';
import {
  DbProcessedFileStore,
  createImportApplier,
} from '../connectors/file-exchange/connector/inbound/index.js';
import type { Database } from '../platform/db/index.js';
import { nowIso } from '../shared/clock.js';
import { beginRun, saveProgress, writeProgress } from './job-store.js';
import { ProgressRecorder } from './progress-recorder.js';
import { Interrupted, RowPace } from './row-pace.js';
import type { ImportJob } from './schemas.js';

export interface RunImportJobOptions {
  db: Kysely<Database>;
  job: ImportJob;
  /** The stored upload. */
  file: string;
  /** True once the hub is stopping: the job halts before its next row and is resumed at the next start. */
  stopping: () => boolean;
  progressEveryMs: number;
}

export type RunOutcome = 'finished' | 'interrupted';

/**
 * Runs one import exactly as the inbox would (same readers, validation, domain appliers and duplicate
 * check by content hash, here for the same kind and format), reporting progress into its job row. End
 * states: completed (with rejects), duplicate (the same content, kind and format imported before with
 * nothing rejected), refused (the file as a whole), failed (a system error; rows already applied stay
 * applied and a new upload of the same file is safe, rows being idempotent).
 */
export async function runImportJob(options: RunImportJobOptions): Promise<RunOutcome> {
  const { db, job } = options;
  await beginRun(db, job.id);
  const store = new DbProcessedFileStore(db);
  if (await store.has(job.sha256, { kind: job.kind, format: job.format })) {
    await saveProgress(db, job.id, { rowsRead: 0, applied: 0, rejected: 0 }, [], {
      status: 'duplicate',
      message: 'the same content was imported before (through the API or the inbox); nothing applied',
    });
    return 'finished';
  }
  const handle = await open(options.file, 'r').catch(() => null);
  if (handle === null) {
    await saveProgress(db, job.id, { rowsRead: 0, applied: 0, rejected: 0 }, [], {
      status: 'failed',
      message: 'the stored upload is missing from the imports folder; upload the file again',
    });
    return 'finished';
  }
  const recorder = new ProgressRecorder(db, job.id, options.progressEveryMs);
  const applyRow = createImportApplier(db);
  const pace = new RowPace(options.stopping);
  try {
    const result = await importFile({
      handle,
      fileName: job.fileName,
      sha256: job.sha256,
      kind: job.kind as ImportKind,
      format: job.format as ExportFormat,
      // Rejected rows are paced like applied ones: a file of bad rows never calls apply at all.
      rejects: pace.rejects(recorder),
      limits: resolveLimits(),
      overrides: {},
      apply: async (row, context) => {
        await pace.next();
        await applyRow(row, context);
        await recorder.applied();
      },
    });
    if (result.status === 'refused') {
      await saveProgress(db, job.id, recorder.progress, recorder.drain(), {
        status: 'refused',
        message: result.error.message,
      });
      return 'finished';
    }
    if (result.status === 'deferred') {
      if (result.error instanceof Interrupted) return 'interrupted';
      const message = result.error instanceof Error ? result.error.message : String(result.error);
      await saveProgress(db, job.id, recorder.progress, recorder.drain(), {
        status: 'failed',
        message: `stopped by a system error after ${recorder.progress.applied} applied row(s): ${message}. Rows are applied idempotently: upload the file again once the cause is fixed.`,
      });
      return 'finished';
    }
    const counts = {
      rowsRead: result.rowsRead,
      applied: result.applied,
      rejected: result.rejected,
      rejectsKept: recorder.progress.rejectsKept,
      encoding: result.encoding,
    };
    // The end state and the content hash commit together: a crash cannot leave a completed import that
    // a re-upload would apply again, nor a remembered hash whose job still looks unfinished. A file with
    // rejected rows is not remembered: once their cause is fixed (say, the item a stock level names now
    // exists) the same file must be accepted again; its good rows are idempotent, so nothing doubles.
    await db.transaction().execute(async (tx) => {
      await writeProgress(tx, job.id, counts, recorder.drain(), {
        status: 'completed',
        message: result.rejected === 0 ? null : rejectedMessage(result.rejected),
      });
      if (result.rejected > 0) return;
      await new DbProcessedFileStore(tx).record(job.sha256, {
        fileName: job.fileName,
        kind: job.kind as ImportKind,
        format: job.format as ExportFormat,
        bytes: job.bytes,
        rowsRead: result.rowsRead,
        applied: result.applied,
        rejected: result.rejected,
        processedAt: nowIso(),
        archivedAs: `imports/${job.id}`,
      });
    });
    return 'finished';
  } catch (error) {
    // Halted by a rejected row (an applied row's halt comes back as "deferred").
    if (error instanceof Interrupted) return 'interrupted';
    if (isFileExchangeError(error)) {
      await saveProgress(db, job.id, recorder.progress, recorder.drain(), {
        status: 'refused',
        message: error.message,
      });
      return 'finished';
    }
    throw error;
  } finally {
    await handle.close();
  }
}

function rejectedMessage(rejected: number): string {
  return (
    `${rejected} row(s) rejected, each listed with its reason. Once the cause is fixed, upload the same ` +
    'file again: it is not taken as a duplicate, and the rows already applied are not applied twice.'
  );
}

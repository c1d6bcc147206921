import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../platform/db/index.js';
import { nowIso } from '../shared/clock.js';
import { errors } from '../shared/errors/index.js';
import type { ImportJob, ImportReject, ImportStatus } from './schemas.js';
import type { ImportJobsTable } from './tables.js';

/** Plain functions over import_jobs and import_rejects; the runner and the routes share them. */

function jobFromRow(row: Selectable<ImportJobsTable>): ImportJob {
  return {
    id: row.id,
    fileName: row.file_name,
    kind: row.kind,
    format: row.format as ImportJob['format'],
    bytes: Number(row.bytes),
    sha256: row.sha256,
    requestedBy: row.requested_by,
    status: row.status as ImportStatus,
    rowsRead: Number(row.rows_read),
    applied: Number(row.applied),
    rejected: Number(row.rejected),
    rejectsKept: Number(row.rejects_kept),
    prunedAt: row.pruned_at,
    encoding: row.encoding,
    message: row.message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export interface NewImportJob {
  id: string;
  fileName: string;
  kind: string;
  format: ImportJob['format'];
  bytes: number;
  sha256: string;
  storedAs: string;
  folderId: string;
  requestedBy: string;
}

export async function insertJob(db: Kysely<Database>, job: NewImportJob): Promise<ImportJob> {
  const now = nowIso();
  await db
    .insertInto('import_jobs')
    .values({
      id: job.id,
      file_name: job.fileName,
      kind: job.kind,
      format: job.format,
      bytes: job.bytes,
      sha256: job.sha256,
      stored_as: job.storedAs,
      folder_id: job.folderId,
      requested_by: job.requestedBy,
      status: 'queued',
      rows_read: 0,
      applied: 0,
      rejected: 0,
      rejects_kept: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return getJob(db, job.id);
}

export async function getJob(db: Kysely<Database>, id: string): Promise<ImportJob> {
  const row = await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('import', id);
  return jobFromRow(row);
}

/** A job with where its upload is kept (not part of the API's view: a hub-local detail). */
export interface StoredJob {
  job: ImportJob;
  storedAs: string;
  /** The imports folder holding the upload; null for jobs stored before folders had ids. */
  folderId: string | null;
}

const storedJobOf = (row: Selectable<ImportJobsTable>): StoredJob => ({
  job: jobFromRow(row),
  storedAs: row.stored_as,
  folderId: row.folder_id,
});

export async function getStoredJob(db: Kysely<Database>, id: string): Promise<StoredJob> {
  const row = await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('import', id);
  return storedJobOf(row);
}

/** Newest first (ids are time-ordered). */
export async function listJobs(
  db: Kysely<Database>,
  page: { limit: number; beforeId?: string; status?: ImportStatus },
): Promise<{ data: ImportJob[]; nextBeforeId: string | null }> {
  let query = db
    .selectFrom('import_jobs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  if (page.status !== undefined) query = query.where('status', '=', page.status);
  const rows = await query.execute();
  const data = rows.slice(0, page.limit).map(jobFromRow);
  return { data, nextBeforeId: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

/** Jobs a hub must (re)run at start: accepted but not finished when it last stopped. */
export async function unfinishedJobs(db: Kysely<Database>): Promise<StoredJob[]> {
  const rows = await db
    .selectFrom('import_jobs')
    .selectAll()
    .where('status', 'in', ['queued', 'running'])
    .orderBy('id')
    .execute();
  return rows.map(storedJobOf);
}

/**
 * Ends a job that cannot run (its upload is gone) or whose run broke off on a system error, so it stops
 * counting among the active imports; rows it applied stay applied. Only a job still unfinished is
 * touched: a job another hub completed meanwhile keeps its outcome.
 */
export async function failJob(db: Kysely<Database>, id: string, message: string): Promise<void> {
  const now = nowIso();
  await db
    .updateTable('import_jobs')
    .set({ status: 'failed', message: message.slice(0, 2000), finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

/**
 * Marks a job running from its first row again: counters to zero, earlier rejects removed. A job that was
 * interrupted is read again from the start (rows are applied idempotently), so its report must be too.
 */
export async function beginRun(db: Kysely<Database>, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('import_rejects').where('job_id', '=', id).execute();
    const now = nowIso();
    await tx
      .updateTable('import_jobs')
      .set({
        status: 'running',
        rows_read: 0,
        applied: 0,
        rejected: 0,
        rejects_kept: 0,
        message: null,
        started_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  });
}

export interface Progress {
  rowsRead: number;
  applied: number;
  rejected: number;
  /** How many of the rejected rows are stored (the rest are counted only); unchanged when absent. */
  rejectsKept?: number;
  encoding?: string;
}

/** Counters and the rejects found since the last save, in one transaction: the report never runs ahead. */
export async function saveProgress(
  db: Kysely<Database>,
  id: string,
  progress: Progress,
  newRejects: ImportReject[],
  end?: { status: ImportStatus; message?: string | null },
): Promise<void> {
  await db.transaction().execute((tx) => writeProgress(tx, id, progress, newRejects, end));
}

/** saveProgress inside a transaction the caller holds (the final save commits with the content hash). */
export async function writeProgress(
  tx: Transaction<Database>,
  id: string,
  progress: Progress,
  newRejects: ImportReject[],
  end?: { status: ImportStatus; message?: string | null },
): Promise<void> {
  for (let i = 0; i < newRejects.length; i += 200) {
    await tx
      .insertInto('import_rejects')
      .values(
        newRejects.slice(i, i + 200).map((r) => ({
          job_id: id,
          row_number: r.rowNumber,
          reason: r.reason,
          raw: r.raw,
        })),
      )
      .execute();
  }
  const now = nowIso();
  await tx
    .updateTable('import_jobs')
    .set({
      rows_read: progress.rowsRead,
      applied: progress.applied,
      rejected: progress.rejected,
      ...(progress.rejectsKept !== undefined && { rejects_kept: progress.rejectsKept }),
      ...(progress.encoding && { encoding: progress.encoding }),
      updated_at: now,
      ...(end && { status: end.status, message: end.message ?? null, finished_at: now }),
    })
    .where('id', '=', id)
    .execute();
}

export async function listRejects(
  db: Kysely<Database>,
  jobId: string,
  page: { limit: number; afterId?: number },
): Promise<{ data: ImportReject[]; nextAfterId: number | null }> {
  await getJob(db, jobId);
  let query = db
    .selectFrom('import_rejects')
    .select(['id', 'row_number', 'reason', 'raw'])
    .where('job_id', '=', jobId)
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  const rows = await query.execute();
  const data = rows.slice(0, page.limit);
  return {
    data: data.map((r) => ({ rowNumber: Number(r.row_number), reason: r.reason, raw: r.raw })),
    nextAfterId: rows.length > page.limit ? Number(data.at(-1)?.id) : null,
  };
}

/** How many jobs wait or run; the upload route refuses new ones past a bound (nothing queues unboundedly). */
export async function activeJobCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('import_jobs')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

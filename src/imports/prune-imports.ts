import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import { nowIso } from '../shared/clock.js';
import { finalImportStatuses } from './schemas.js';

export interface PruneImportsOptions {
  db: Kysely<Database>;
  /** This hub's imports folder: only uploads there are removed (another hub prunes its own). */
  dir: string;
  /** Keep what finished less than this many days ago (`sync.historyDays`). */
  keepDays: number;
  now?: Date;
}

export interface PrunedImports {
  /** Jobs whose stored rejects were removed (and that are marked pruned). */
  jobs: number;
  rejects: number;
  uploads: number;
}

/** Rows deleted per statement: each statement holds the SQLite writer, and the event loop, briefly. */
const CHUNK = 5000;

/**
 * Bounded retention for imports: once a job finished more than `keepDays` ago, its rejected rows and its
 * stored upload go (the job row stays, with its counters and `pruned_at`). Uploads in this hub's folder
 * that no job names (an upload whose job row never committed) go after the same time. Rejects are
 * deleted a chunk at a time, yielding to the event loop between chunks, so a job with many rejects does
 * not stall the API.
 */
export async function pruneImports(options: PruneImportsOptions): Promise<PrunedImports> {
  const { db } = options;
  const cutoff = new Date(
    (options.now ?? new Date()).getTime() - options.keepDays * 86_400_000,
  ).toISOString();
  const due = await db
    .selectFrom('import_jobs')
    .select('id')
    .where('status', 'in', [...finalImportStatuses])
    .where('finished_at', '<', cutoff)
    .where('pruned_at', 'is', null)
    .execute();
  let rejects = 0;
  for (const { id } of due) {
    for (;;) {
      const deleted = await db
        .deleteFrom('import_rejects')
        .where('id', 'in', db.selectFrom('import_rejects').select('id').where('job_id', '=', id).limit(CHUNK))
        .executeTakeFirst();
      const n = Number(deleted.numDeletedRows);
      rejects += n;
      if (n < CHUNK) break;
      await setImmediate();
    }
    await db
      .updateTable('import_jobs')
      .set({ rejects_kept: 0, pruned_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }
  const uploads = await pruneUploads(db, options.dir, cutoff);
  return { jobs: due.length, rejects, uploads };
}

/** Removes uploads of jobs that finished before `cutoff`, and files no job names older than it. */
async function pruneUploads(db: Kysely<Database>, dir: string, cutoff: string): Promise<number> {
  const names = await readdir(dir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
    throw error;
  });
  // Dot files are the folder's id and uploads being written (`.<id>.<random>.tmp`); such a temporary
  // file still there after days is what a crash mid-upload left, and goes like an orphan.
  const candidates = names.filter((n) => !n.startsWith('.') || n.endsWith('.tmp'));
  let removed = 0;
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const jobs = await db
      .selectFrom('import_jobs')
      .select(['stored_as', 'status', 'finished_at'])
      .where('stored_as', 'in', chunk)
      .execute();
    const byName = new Map(jobs.map((j) => [j.stored_as, j]));
    for (const name of chunk) {
      const file = path.join(dir, name);
      const job = byName.get(name);
      const expired =
        job === undefined
          ? await stat(file).then(
              (s) => s.isFile() && s.mtime.toISOString() < cutoff,
              () => false,
            )
          : (finalImportStatuses as readonly string[]).includes(job.status) &&
            job.finished_at !== null &&
            job.finished_at < cutoff;
      if (!expired) continue;
      await unlink(file).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
      removed += 1;
    }
  }
  return removed;
}

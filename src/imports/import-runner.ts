import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import { engineOf } from '../platform/db/index.js';
import type { Logger } from '../platform/logging/index.js';
import { AppError } from '../shared/errors/index.js';
import { newId } from '../shared/ids.js';
import { folderIdOf } from './folder-id.js';
import type { StoredJob } from './job-store.js';
import { activeJobCount, failJob, getStoredJob, insertJob, unfinishedJobs } from './job-store.js';
import { receiveUpload, tooLarge } from './receive-upload.js';
import { runImportJob } from './run-import-job.js';
import type { ImportJob } from './schemas.js';

export interface ImportRunnerOptions {
  db: Kysely<Database>;
  /** Where uploads are kept (`<data dir>/imports`); created on the first upload. */
  dir: string;
  logger: Logger;
  /** Largest upload accepted. */
  maxBytes: number;
  /** Most imports queued or running at once (across hubs sharing the database). */
  maxActive?: number;
  progressEveryMs?: number;
}

export interface UploadRequest {
  body: ReadableStream<Uint8Array> | null;
  /** The Content-Length the client declared, when it did: an oversize upload is refused unread. */
  declaredBytes?: number;
  fileName: string;
  kind: string;
  format: ImportJob['format'];
  requestedBy: string;
}

/**
 * Accepts uploads (durably, before answering) and runs them one at a time in the background, so a long
 * import never holds a request open and never competes with another for the SQLite writer. An upload is
 * answered with its job; the job row carries the progress. At start the runner resumes the jobs found
 * unfinished whose upload is in its folder, and fails those of its folder whose upload is gone; at stop
 * it halts between two rows (resumed next start). A run that breaks off on a system error ends failed.
 */
export class ImportRunner {
  readonly maxBytes: number;
  readonly #options: ImportRunnerOptions;
  readonly #queue: string[] = [];
  #draining: Promise<void> | undefined;
  #running = false;
  #stopping = false;
  #folderId: string | undefined;

  constructor(options: ImportRunnerOptions) {
    this.#options = options;
    this.maxBytes = options.maxBytes;
  }

  async start(): Promise<void> {
    this.#folderId = await folderIdOf(this.#options.dir);
    for (const stored of await unfinishedJobs(this.#options.db)) {
      const here = await stat(path.join(this.#options.dir, stored.storedAs)).then(
        (s) => s.isFile(),
        () => false,
      );
      if (here) this.#enqueue(stored.job.id);
      else if (this.#isOurs(stored)) {
        // Nobody can ever run it (the folder lost the file, or it was restored without it), and left
        // queued it would hold one of the active places for good.
        await failJob(
          this.#options.db,
          stored.job.id,
          `the stored upload is missing from the imports folder (${this.#options.dir}); upload the file again`,
        );
        this.#options.logger.warn(
          { importId: stored.job.id },
          'unfinished import without its upload: failed',
        );
      } else {
        // Another hub's upload (one data folder per hub): that hub resumes it.
        this.#options.logger.warn(
          { importId: stored.job.id },
          'unfinished import whose upload is not in this hub',
        );
      }
    }
  }

  /**
   * A job stored in this hub's folder. Jobs from before folders had ids: on SQLite one hub owns the
   * database, so they are its own; on PostgreSQL they may be another hub's and are left to it.
   */
  #isOurs(stored: StoredJob): boolean {
    if (stored.folderId !== null) return stored.folderId === this.#folderId;
    return engineOf(this.#options.db) === 'sqlite';
  }

  async accept(upload: UploadRequest): Promise<ImportJob> {
    if (this.#stopping) throw new AppError('unavailable', 'the hub is stopping; upload again in a moment');
    if (upload.declaredBytes !== undefined && upload.declaredBytes > this.maxBytes)
      throw tooLarge(this.maxBytes);
    const maxActive = this.#options.maxActive ?? 20;
    if ((await activeJobCount(this.#options.db)) >= maxActive) {
      throw new AppError(
        'rate_limited',
        `${maxActive} imports are waiting or running; upload again when one has finished`,
        {
          details: { maxActive },
        },
      );
    }
    const folderId = this.#folderId ?? (this.#folderId = await folderIdOf(this.#options.dir));
    const id = newId();
    // Stored under the job id alone: the user's file name (kept in the job row) may be as long as the
    // file system allows on its own, so with any prefix it would not fit (ENAMETOOLONG).
    const received = await receiveUpload({
      body: upload.body,
      dir: this.#options.dir,
      storedAs: id,
      maxBytes: this.maxBytes,
    });
    const job = await insertJob(this.#options.db, {
      id,
      fileName: upload.fileName,
      kind: upload.kind,
      format: upload.format,
      bytes: received.bytes,
      sha256: received.sha256,
      storedAs: received.storedAs,
      folderId,
      requestedBy: upload.requestedBy,
    });
    this.#enqueue(id);
    return job;
  }

  /** Resolves once the job in progress has halted; queued jobs stay queued for the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#queue.length = 0;
    await this.#draining;
  }

  #enqueue(id: string): void {
    this.#queue.push(id);
    if (this.#running) return;
    this.#running = true;
    this.#draining = this.#drain();
  }

  /** `#running` is cleared in the same tick the queue is found empty, so no enqueue can fall between. */
  async #drain(): Promise<void> {
    try {
      for (let id = this.#queue.shift(); id !== undefined && !this.#stopping; id = this.#queue.shift()) {
        try {
          const { job, storedAs } = await getStoredJob(this.#options.db, id);
          await runImportJob({
            db: this.#options.db,
            job,
            file: path.join(this.#options.dir, storedAs),
            stopping: () => this.#stopping,
            progressEveryMs: this.#options.progressEveryMs ?? 250,
          });
        } catch (error) {
          // A system error the run could not record itself (the database refused a write): end the job
          // failed with the error, so it stops holding an active place and says why. Should the
          // database still refuse, the row stays "running" and the next start runs it again.
          this.#options.logger.error({ err: error, importId: id }, 'import job failed to run');
          const reason = error instanceof Error ? error.message : String(error);
          await failJob(
            this.#options.db,
            id,
            `stopped by a system error: ${reason}. Rows are applied idempotently: upload the file again once the cause is fixed.`,
          ).catch((failure: unknown) =>
            this.#options.logger.error({ err: failure, importId: id }, 'could not mark the import failed'),
          );
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

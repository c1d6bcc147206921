import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { Logger } from '../platform/logging/index.js';
import { AppError } from '../shared/errors/index.js';
import { newId } from '../shared/ids.js';
import { activeJobCount, getStoredJob, insertJob, unfinishedJobs } from './job-store.js';
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
 * unfinished whose upload is in its folder; at stop it halts between two rows (resumed next start).
 */
export class ImportRunner {
  readonly maxBytes: number;
  readonly #options: ImportRunnerOptions;
  readonly #queue: string[] = [];
  #draining: Promise<void> | undefined;
  #running = false;
  #stopping = false;

  constructor(options: ImportRunnerOptions) {
    this.#options = options;
    this.maxBytes = options.maxBytes;
  }

  async start(): Promise<void> {
    for (const { job, storedAs } of await unfinishedJobs(this.#options.db)) {
      const here = await stat(path.join(this.#options.dir, storedAs)).then(
        (s) => s.isFile(),
        () => false,
      );
      // Another hub's upload (one data folder per hub): that hub resumes it.
      if (!here) {
        this.#options.logger.warn({ importId: job.id }, 'unfinished import whose upload is not in this hub');
        continue;
      }
      this.#enqueue(job.id);
    }
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
          // A database outage mid-job: the row stays "running" and the next start runs it again.
          this.#options.logger.error({ err: error, importId: id }, 'import job failed to run');
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

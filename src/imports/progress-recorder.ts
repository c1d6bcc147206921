import type { Kysely } from 'kysely';
import type { RejectedRow, RejectsWriter } from '../connectors/file-exchange/index.js';
import type { Database } from '../platform/db/index.js';
import type { Progress } from './job-store.js';
import { saveProgress } from './job-store.js';
import type { ImportReject } from './schemas.js';
import { MAX_KEPT_REJECTS } from './schemas.js';

const MAX_RAW_CHARS = 4096;

/**
 * Counts a running import and saves its counters and new rejects at most every `everyMs` (and whenever
 * 200 rejects are waiting), so a watcher sees them rise without one write per row. It doubles as the
 * importer's rejects writer: a rejected row goes to the database with its number, reason and raw text,
 * the first 10,000 of them (a file-level reject, row 0, always): a file of millions of bad rows would
 * otherwise store millions of rows nobody reads, and the first ones show what is wrong.
 */
export class ProgressRecorder implements RejectsWriter {
  readonly path: string;
  #applied = 0;
  #rejected = 0;
  #kept = 0;
  #buffer: ImportReject[] = [];
  #lastSave = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly jobId: string,
    private readonly everyMs: number,
  ) {
    this.path = `import_rejects/${jobId}`;
  }

  get count(): number {
    return this.#rejected;
  }

  get progress(): Progress {
    return {
      rowsRead: this.#applied + this.#rejected,
      applied: this.#applied,
      rejected: this.#rejected,
      rejectsKept: this.#kept,
    };
  }

  /** Takes the rejects not saved yet (for the final save, which the runner commits itself). */
  drain(): ImportReject[] {
    return this.#buffer.splice(0);
  }

  async applied(): Promise<void> {
    this.#applied += 1;
    await this.#maybeSave();
  }

  async add(row: RejectedRow): Promise<void> {
    this.#rejected += 1;
    if (this.#kept >= MAX_KEPT_REJECTS && row.rowNumber !== 0) return this.#maybeSave();
    this.#kept += 1;
    // Bounded like the inbox's rejects file: a reason and the first 4 KiB of the row are enough to fix it.
    this.#buffer.push({
      rowNumber: row.rowNumber,
      reason: row.reason.slice(0, 2000),
      raw: row.raw.slice(0, MAX_RAW_CHARS),
    });
    await this.#maybeSave();
  }

  /** The final save is the runner's (it commits with the job's end state); nothing to publish here. */
  async close(): Promise<undefined> {
    return undefined;
  }

  async abort(): Promise<void> {
    this.#buffer = [];
  }

  async #maybeSave(): Promise<void> {
    const now = Date.now();
    if (this.#buffer.length < 200 && now - this.#lastSave < this.everyMs) return;
    this.#lastSave = now;
    await saveProgress(this.db, this.jobId, this.progress, this.drain());
  }
}

import { setImmediate } from 'node:timers/promises';
import type { RejectedRow, RejectsWriter } from '../connectors/file-exchange/index.js';

/** Thrown between rows when the hub stops; not a row error, so the importer halts the file. */
export class Interrupted extends Error {
  constructor() {
    super('the hub is stopping; the import resumes from its first row at the next start');
  }
}

const YIELD_EVERY_MS = 20;

/**
 * What an import does between two rows, whether the next one is applied or rejected: halt when the hub
 * is stopping (a file of a million bad rows would otherwise hold the shutdown until its end), and give
 * the event loop a turn every ~20 ms. On SQLite every query settles as a microtask (the driver is
 * synchronous), so a long file would never let the loop reach the network: the API (the console's
 * progress polls) would stall until the import ends.
 */
export class RowPace {
  #lastYield = Date.now();

  constructor(private readonly stopping: () => boolean) {}

  async next(): Promise<void> {
    if (this.stopping()) throw new Interrupted();
    if (Date.now() - this.#lastYield < YIELD_EVERY_MS) return;
    await setImmediate();
    this.#lastYield = Date.now();
  }

  /** The importer's rejects writer, paced like applied rows. */
  rejects(writer: RejectsWriter): RejectsWriter {
    return {
      get path() {
        return writer.path;
      },
      get count() {
        return writer.count;
      },
      add: async (row: RejectedRow) => {
        await this.next();
        await writer.add(row);
      },
      close: () => writer.close(),
      abort: () => writer.abort(),
    };
  }
}

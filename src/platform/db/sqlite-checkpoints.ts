import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The checkpoint thread's program, CommonJS source so that it runs the same under tsx, vitest and the
 * compiled build (a worker file would need each runner's TypeScript loader). Its own connection copies
 * the WAL's committed pages back into the database (PASSIVE: it never waits for, nor blocks, a writer),
 * soon after each commit while the WAL grows and rarely while it does not.
 */
const checkpointSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 1000');
let lastLog = -1;
let timer;
function run() {
  let growing = false;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    growing = result.log !== lastLog;
    lastLog = result.log;
  } catch (error) {
    // Busy (a recovery or a TRUNCATE checkpoint elsewhere): try again later; anything else ends the thread.
    if (!String(error && error.code).startsWith('SQLITE_BUSY')) throw error;
  }
  timer = setTimeout(run, growing ? workerData.busyMs : workerData.idleMs);
}
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
run();
`;

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. Left to the writer, a checkpoint runs inside
 * the commit that takes the WAL past 1,000 pages and copies them all, so every thirtieth or so of the
 * dispatcher's acknowledgements pays for the ones before it (about 1.5 µs of the 4 µs its commit costs
 * per event, measured in isolation: bench/README.md, round 5). Here the copying happens on the other core while the
 * writer goes on; the writer's own auto-checkpoint still runs, finds little left to copy, and lets the
 * WAL start over, so the file stays a few megabytes. If the thread fails, the writer's auto-checkpoint
 * does all the work again: slower, never unsafe (a checkpoint only copies committed pages).
 */
export function startBackgroundCheckpoints(
  file: string,
  options: { busyMs?: number; idleMs?: number } = {},
): BackgroundCheckpoints {
  const worker = new Worker(checkpointSource, {
    eval: true,
    workerData: {
      driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      busyMs: options.busyMs ?? 5,
      idleMs: options.idleMs ?? 250,
    },
  });
  // Never what keeps a process alive; a thread that fails leaves the work to the writer.
  worker.unref();
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      alive = false;
      resolve();
    }),
  );
  worker.on('error', (error) => {
    process.emitWarning(`SQLite checkpoint thread stopped: ${error.message}`, {
      code: 'FIELDSYNC_CHECKPOINTS',
    });
  });
  return {
    async stop() {
      if (!alive) return;
      worker.ref(); // until it has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}

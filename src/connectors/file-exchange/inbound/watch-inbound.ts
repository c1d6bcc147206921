import { watch, type FSWatcher } from 'node:fs';
import type { InboundFolder, PollReport } from '../inbound-folder.js';

export interface WatchInboundOptions {
  /** The schedule: poll at least this often (ms). Two quiet polls take a file, so this is also the settle time. */
  intervalMs: number;
  /** Also poll soon after this folder changes (fs.watch) instead of waiting for the schedule. */
  watchFolder?: string;
  signal?: AbortSignal;
  onReport?: (report: PollReport) => void;
  onError?: (error: unknown) => void;
}

export interface InboundWatcher {
  /** Stops scheduling and waits for a poll in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Polls an inbound folder on a schedule, plus soon after a change event when a folder to watch is given.
 * Change events only bring the next poll forward; stability still needs two polls.
 */
export function watchInboundFolder(folder: InboundFolder, options: WatchInboundOptions): InboundWatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let watcher: FSWatcher | undefined;

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  };

  function run(): void {
    timer = undefined;
    inFlight = folder
      .poll()
      .then((report) => options.onReport?.(report))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => schedule(options.intervalMs));
  }

  if (options.watchFolder !== undefined) {
    try {
      watcher = watch(options.watchFolder, () => schedule(Math.min(250, options.intervalMs)));
      watcher.on('error', (error) => options.onError?.(error));
    } catch (error) {
      options.onError?.(error);
    }
  }

  const stop = async (): Promise<void> => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    watcher?.close();
    await inFlight;
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  schedule(0);
  return { stop };
}

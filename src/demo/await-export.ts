import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { manifestNameFor, parseExportFileName } from '../connectors/file-exchange/index.js';
import type { Db } from '../platform/outbox/index.js';
import { backlogBySubscriber } from '../sync/delivery/index.js';

export interface ExportWait {
  /** The hub answered /readyz. */
  hubUp: boolean;
  /** Flow deliveries still waiting (pending or in flight) when we stopped looking. */
  backlog: number;
  /** Deliveries of the flows in the dead-letter queue. */
  dead: number;
  /** Published files (with manifest) created at or after `since`, in name (= time) order. */
  files: string[];
}

async function flowBacklog(db: Db): Promise<{ backlog: number; dead: number }> {
  const rows = (await backlogBySubscriber(db)).filter((r) => r.subscriber.startsWith('flow:'));
  return {
    backlog: rows.reduce((n, r) => n + r.pending + r.inFlight, 0),
    dead: rows.reduce((n, r) => n + r.dead, 0),
  };
}

async function hubAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1500) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export async function newExportFiles(outbound: string, since: Date): Promise<string[]> {
  const names = await readdir(outbound).catch(() => [] as string[]);
  const present = new Set(names);
  const from = since.toISOString().replace(/[-:.]/g, '');
  return names
    .filter((n) => {
      const parsed = parseExportFileName(n);
      return parsed !== undefined && parsed.stamp >= from && present.has(manifestNameFor(n));
    })
    .sort();
}

/**
 * After `demo day`: if a hub is running, waits (bounded) until its dispatcher has delivered the new events
 * to the exchange folder, then lists the files that appeared. Without a hub the events simply wait in the
 * outbox; the caller says so.
 */
export async function awaitExport(options: {
  db: Db;
  hubUrl: string;
  outbound: string;
  since: Date;
  timeoutMs?: number;
}): Promise<ExportWait> {
  const hubUp = await hubAnswers(options.hubUrl);
  let state = await flowBacklog(options.db);
  if (hubUp) {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (state.backlog > 0 && Date.now() < deadline) {
      await sleep(250);
      state = await flowBacklog(options.db);
    }
  }
  return { hubUp, ...state, files: await newExportFiles(options.outbound, options.since) };
}

import type { Kysely } from 'kysely';
import type { Counter } from 'prom-client';
import type { Cursor } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { InboundApplier } from '../inbound/index.js';

/** The counters a pull feeds; `SyncMetrics` fits. `pullErrors` is used when present. */
export interface PullMetrics {
  pulled: Counter<'flow'>;
  conflicts: Counter<'flow'>;
  pullErrors?: Counter<'flow' | 'error_class'>;
}

export interface PullRunContext {
  db: Kysely<Database>;
  logger: Logger;
  metrics?: PullMetrics;
  applier: InboundApplier;
  /** Lease owner id of this scheduler. */
  owner: string;
  leaseMs: number;
  /** Pages that move the cursor forward, per run. */
  maxPages: number;
}

export interface PullRunOptions {
  /** `start`: read everything again; `pull_errors`: from the oldest record with an open pull error. */
  rewind?: 'start' | 'pull_errors';
}

export interface PullRunResult {
  flow: string;
  /** completed: read to the end; partial: stopped at the page limit (more to read); busy: another run holds the flow. */
  outcome: 'completed' | 'partial' | 'failed' | 'busy';
  startedAt: string;
  finishedAt: string;
  pages: number;
  /** Records the connector returned. */
  read: number;
  /** Re-reads of versions already applied (overlap, re-runs) and stale versions, dropped. */
  duplicates: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records the flow's operation excludes (create-only: already here; update-only: not here). */
  skipped: number;
  /** Conflicts opened in this run. */
  conflicts: number;
  /** Clashes on shared fields a rule settled (reported as resolved conflicts). */
  settled: number;
  /** Records recorded in sync_pull_errors in this run. */
  pullErrors: number;
  cursorReset: boolean;
  cursor: Cursor | null;
  hasMore: boolean;
  error?: { errorClass: string; message: string };
}

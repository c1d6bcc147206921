import type { Kysely } from 'kysely';
import type { Counter } from 'prom-client';
import type { ConnectorRecord, Cursor } from '../../connectors/sdk/index.js';
import { compareCursor, withOverlap } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { nowIso } from '../../shared/clock.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import { isAppError } from '../../shared/errors/index.js';
import { dataHash, snapshotVersions } from '../conflicts/index.js';
import type { InboundFlow } from '../engine/index.js';
import type { InboundApplier } from '../inbound/index.js';
import { decideOnFailure } from '../retry/index.js';
import type { RecordOutcome } from './apply-record.js';
import { applyPulledRecord } from './apply-record.js';
import { claimFlow, finishRun, saveCursor } from './cursor-store.js';
import { earliestOpenPullError, openPullErrorVersions, recordPullError } from './pull-errors.js';

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

/** Domain answers that concern this one record: it is recorded and the pull moves on. */
const recordLevelCodes: ReadonlySet<string> = new Set(['validation', 'conflict', 'unprocessable', 'not_found']);
const maxRaceRetries = 3;

const later = (a: Cursor | null, b: Cursor | null): Cursor | null => (a === null ? b : b === null ? a : compareCursor(b, a) > 0 ? b : a);

class RunAborted extends Error {}

export async function runPull(flow: InboundFlow, ctx: PullRunContext, options: PullRunOptions = {}): Promise<PullRunResult> {
  const result: PullRunResult = {
    flow: flow.name,
    outcome: 'completed',
    startedAt: nowIso(),
    finishedAt: '',
    pages: 0,
    read: 0,
    duplicates: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    conflicts: 0,
    settled: 0,
    pullErrors: 0,
    cursorReset: false,
    cursor: null,
    hasMore: false,
  };
  const claim = await claimFlow(ctx.db, flow.name, ctx.owner, ctx.leaseMs);
  if (!claim.claimed) return { ...result, outcome: 'busy', finishedAt: nowIso() };

  let saved = claim.cursor;
  try {
    if (options.rewind !== undefined) saved = await rewound(ctx, flow, options.rewind, saved);
    await pages(flow, ctx, result, saved);
  } catch (error) {
    // Storage trouble or a bug, not the connector's: the page's cursor stays unsaved and the next run retries.
    result.outcome = 'failed';
    result.error = { errorClass: error instanceof RunAborted ? 'lease_lost' : 'internal', message: error instanceof Error ? error.message : String(error) };
    ctx.logger.error({ err: error, flow: flow.name }, 'pull run aborted');
  }
  result.finishedAt = nowIso();
  const ok = result.outcome === 'completed' || result.outcome === 'partial';
  await finishRun(ctx.db, flow.name, ctx.owner, {
    ok,
    error: result.error ? `${result.error.errorClass}: ${result.error.message}` : undefined,
    result,
  }).catch((error: unknown) => ctx.logger.error({ err: error, flow: flow.name }, 'could not record the pull run'));
  return result;
}

async function rewound(ctx: PullRunContext, flow: InboundFlow, rewind: 'start' | 'pull_errors', saved: Cursor | null): Promise<Cursor | null> {
  let target: Cursor | null;
  if (rewind === 'start') target = null;
  else {
    const first = await earliestOpenPullError(ctx.db, flow.name);
    if (first === undefined) return saved;
    target = { modifiedAt: first, id: '' };
  }
  if (!(await saveCursor(ctx.db, flow.name, ctx.owner, target, ctx.leaseMs))) throw new RunAborted('lost the flow lease');
  return target;
}

async function pages(flow: InboundFlow, ctx: PullRunContext, result: PullRunResult, start: Cursor | null): Promise<void> {
  let saved = start;
  result.cursor = saved;
  let readFrom = withOverlap(saved, flow.overlapSeconds);
  let advancing = 0;
  // Pages inside the overlap window do not move the cursor; bound them too, so a run always ends.
  const hardLimit = ctx.maxPages * 4;
  for (;;) {
    let page;
    try {
      page = await flow.limit(() => flow.session.readChanges(flow.sourceEntity, readFrom, flow.pageSize));
      flow.breaker.report({ health: 'ok' });
    } catch (error) {
      const decision = decideOnFailure(error, 1, flow.retry);
      flow.breaker.report(decision.connector);
      if (decision.action === 'reset_cursor' && !result.cursorReset) {
        ctx.logger.warn({ flow: flow.name, cursor: saved, reason: decision.message }, 'pull cursor invalid: reading from the start');
        result.cursorReset = true;
        saved = null;
        result.cursor = null;
        readFrom = null;
        if (!(await saveCursor(ctx.db, flow.name, ctx.owner, null, ctx.leaseMs))) throw new RunAborted('lost the flow lease');
        continue;
      }
      result.outcome = 'failed';
      result.error = { errorClass: decision.errorClass, message: decision.message };
      ctx.logger.warn({ flow: flow.name, errorClass: decision.errorClass, err: error }, 'pull read failed');
      return;
    }
    result.pages += 1;
    await applyPage(flow, ctx, result, page.records);
    // Saved only now, after every record of the page has committed; never moved backwards by the overlap.
    const next = later(saved, page.nextCursor);
    if (next !== saved) {
      if (!(await saveCursor(ctx.db, flow.name, ctx.owner, next, ctx.leaseMs))) throw new RunAborted('lost the flow lease');
      saved = next;
      result.cursor = next;
      advancing += 1;
    }
    readFrom = page.nextCursor;
    if (!page.hasMore || page.records.length === 0) return;
    if (advancing >= ctx.maxPages || result.pages >= hardLimit) {
      result.outcome = 'partial';
      result.hasMore = true;
      return;
    }
  }
}

async function applyPage(flow: InboundFlow, ctx: PullRunContext, result: PullRunResult, records: readonly ConnectorRecord[]): Promise<void> {
  const ids = records.map((r) => r.externalId);
  const applied = await snapshotVersions(ctx.db, flow.connectorName, flow.sourceEntity, ids);
  const failed = await openPullErrorVersions(ctx.db, flow.name, ids);
  for (const record of records) {
    result.read += 1;
    const hash = dataHash(record.data);
    const seen = applied.get(record.externalId);
    if (seen?.erpModifiedAt != null && (record.modifiedAt < seen.erpModifiedAt || (record.modifiedAt === seen.erpModifiedAt && seen.erpHash === hash))) {
      result.duplicates += 1;
      continue;
    }
    const poison = failed.get(record.externalId);
    if (poison && poison.modifiedAt === record.modifiedAt && poison.erpHash === hash) {
      result.duplicates += 1;
      continue;
    }
    const mapped = flow.mapping.map(record.data);
    if (!mapped.ok) {
      const issues = mapped.issues.map((i) => ({ path: [i.field], message: i.transform ? `${i.transform}: ${i.message}` : i.message }));
      await rejectRecord(flow, ctx, result, record, hash, 'validation', `mapping failed: ${mapped.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
      continue;
    }
    const outcome = await applyWithRetry(flow, ctx, result, record, mapped.value, hash);
    if (!outcome) continue;
    result[outcome.kind] += 1;
    result.conflicts += outcome.newConflicts;
    result.settled += outcome.settledConflicts;
    ctx.metrics?.pulled.inc({ flow: flow.name });
    if (outcome.newConflicts + outcome.settledConflicts > 0) ctx.metrics?.conflicts.inc({ flow: flow.name }, outcome.newConflicts + outcome.settledConflicts);
  }
}

async function applyWithRetry(
  flow: InboundFlow,
  ctx: PullRunContext,
  result: PullRunResult,
  record: ConnectorRecord,
  mapped: Record<string, unknown>,
  hash: string,
): Promise<RecordOutcome | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await applyPulledRecord(ctx.db, flow, ctx.applier, record, mapped, hash);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // A local edit landed between our read and our write: read again and decide again.
      if (error.code === 'precondition_failed' && attempt < maxRaceRetries) continue;
      if (!recordLevelCodes.has(error.code)) throw error;
      await rejectRecord(flow, ctx, result, record, hash, error.code, error.message, error.issues);
      return undefined;
    }
  }
}

async function rejectRecord(
  flow: InboundFlow,
  ctx: PullRunContext,
  result: PullRunResult,
  record: ConnectorRecord,
  hash: string,
  errorClass: string,
  message: string,
  issues: readonly FieldIssue[],
): Promise<void> {
  await recordPullError(ctx.db, {
    flow: flow.name,
    connector: flow.connectorName,
    entity: flow.entity,
    externalEntity: flow.sourceEntity,
    record,
    erpHash: hash,
    errorClass,
    message,
    issues,
  });
  result.pullErrors += 1;
  ctx.metrics?.pullErrors?.inc({ flow: flow.name, error_class: errorClass });
  ctx.logger.warn({ flow: flow.name, externalId: record.externalId, modifiedAt: record.modifiedAt, errorClass, message }, 'pulled record rejected');
}

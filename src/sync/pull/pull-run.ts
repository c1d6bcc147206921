import type { Cursor } from '../../connectors/sdk/index.js';
import { compareCursor, withOverlap } from '../../connectors/sdk/index.js';
import { nowIso } from '../../shared/clock.js';
import type { InboundFlow } from '../engine/index.js';
import { decideOnFailure } from '../retry/index.js';
import { applyPage } from './apply-page.js';
import { claimFlow, finishRun, saveCursor } from './cursor-store.js';
import { earliestOpenPullError } from './pull-errors.js';
import type { PullRunContext, PullRunOptions, PullRunResult } from './pull-run-types.js';

const later = (a: Cursor | null, b: Cursor | null): Cursor | null =>
  a === null ? b : b === null ? a : compareCursor(b, a) > 0 ? b : a;

class RunAborted extends Error {}

/**
 * One pull of a flow: claims the flow's lease, reads pages from the saved cursor moved back by the
 * overlap, applies each page and saves the cursor after it, and records the run in `sync_cursors`.
 */
export async function runPull(
  flow: InboundFlow,
  ctx: PullRunContext,
  options: PullRunOptions = {},
): Promise<PullRunResult> {
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
    skipped: 0,
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
    await pages(flow, ctx, result, saved, options.rewind === 'pull_errors');
  } catch (error) {
    // Storage trouble or a bug, not the connector's: the page's cursor stays unsaved and the next run retries.
    result.outcome = 'failed';
    result.error = {
      errorClass: error instanceof RunAborted ? 'lease_lost' : 'internal',
      message: error instanceof Error ? error.message : String(error),
    };
    ctx.logger.error({ err: error, flow: flow.name }, 'pull run aborted');
  }
  result.finishedAt = nowIso();
  const ok = result.outcome === 'completed' || result.outcome === 'partial';
  await finishRun(ctx.db, flow.name, ctx.owner, {
    ok,
    error: result.error ? `${result.error.errorClass}: ${result.error.message}` : undefined,
    result,
  }).catch((error: unknown) =>
    ctx.logger.error({ err: error, flow: flow.name }, 'could not record the pull run'),
  );
  return result;
}

async function rewound(
  ctx: PullRunContext,
  flow: InboundFlow,
  rewind: 'start' | 'pull_errors',
  saved: Cursor | null,
): Promise<Cursor | null> {
  let target: Cursor | null;
  if (rewind === 'start') target = null;
  else {
    const first = await earliestOpenPullError(ctx.db, flow.name);
    if (first === undefined) return saved;
    target = { modifiedAt: first, id: '' };
  }
  if (!(await saveCursor(ctx.db, flow.name, ctx.owner, target, ctx.leaseMs)))
    throw new RunAborted('lost the flow lease');
  return target;
}

async function pages(
  flow: InboundFlow,
  ctx: PullRunContext,
  result: PullRunResult,
  start: Cursor | null,
  retryErrors: boolean,
): Promise<void> {
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
        ctx.logger.warn(
          { flow: flow.name, cursor: saved, reason: decision.message },
          'pull cursor invalid: reading from the start',
        );
        result.cursorReset = true;
        saved = null;
        result.cursor = null;
        readFrom = null;
        if (!(await saveCursor(ctx.db, flow.name, ctx.owner, null, ctx.leaseMs)))
          throw new RunAborted('lost the flow lease');
        continue;
      }
      result.outcome = 'failed';
      result.error = { errorClass: decision.errorClass, message: decision.message };
      ctx.logger.warn({ flow: flow.name, errorClass: decision.errorClass, err: error }, 'pull read failed');
      return;
    }
    result.pages += 1;
    await applyPage(flow, ctx, result, page.records, retryErrors);
    // Saved only now, after every record of the page has committed; never moved backwards by the overlap.
    const next = later(saved, page.nextCursor);
    if (next !== saved) {
      if (!(await saveCursor(ctx.db, flow.name, ctx.owner, next, ctx.leaseMs)))
        throw new RunAborted('lost the flow lease');
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

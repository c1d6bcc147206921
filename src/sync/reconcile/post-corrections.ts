import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { getReconRun, listReconDiffs, markDiffsCorrected } from './recon-store.js';
import type { DiffKind, ReconDiff, Reconciler, ReconRun } from './recon-types.js';
import { diffKinds } from './recon-types.js';
import { getReconciler } from './reconciler-registry.js';

export interface PostCorrectionsOptions {
  /** Diff kinds to correct (default `missing_there`, `value_differs`; `missing_here` is never corrected). */
  kinds?: readonly DiffKind[];
  /** false (default): a dry run that reports what would happen and writes nothing. */
  apply?: boolean;
  /** Outcomes listed in the report (counts cover all); default 500. */
  maxListed?: number;
}

export const CorrectionAction = { resync: 'resync', adjust: 'adjust', skip: 'skip', fail: 'fail' } as const;
export type CorrectionAction = (typeof CorrectionAction)[keyof typeof CorrectionAction];

export interface CorrectionOutcome {
  action: CorrectionAction;
  diffIds: number[];
  kind: DiffKind;
  key: string;
  localId: string | null;
  /** The event or movement posted, what would be posted (dry run), or why nothing is. */
  detail: string;
}

export interface CorrectionReport {
  runId: string;
  applied: boolean;
  /** Diffs per action. */
  counts: Record<CorrectionAction, number>;
  outcomes: CorrectionOutcome[];
  truncated: boolean;
}

interface Plan {
  action: CorrectionAction;
  diffs: ReconDiff[];
  detail: string;
}

const missingHereReason =
  'the ERP has a record Fieldsync lacks: create it here (inbound flow or import), not by reconciliation';

/** Decides what to do with one page of diffs, grouping a record's diffs into one resync. */
function planPage(run: ReconRun, reconciler: Reconciler, page: ReconDiff[]): Plan[] {
  const plans: Plan[] = [];
  const ownerOf = new Map(run.summary.fields.map((f) => [f.name, f.owner]));
  const resyncs = new Map<string, ReconDiff[]>();
  for (const diff of page) {
    if (diff.kind === 'missing_here') {
      plans.push({ action: 'skip', diffs: [diff], detail: missingHereReason });
    } else if (reconciler.resync && diff.localId !== null) {
      if (diff.kind === 'value_differs' && ownerOf.get(diff.field ?? '') === 'erp') {
        plans.push({
          action: 'skip',
          diffs: [diff],
          detail: `the ERP owns ${diff.field ?? 'this field'}: its inbound flow corrects Fieldsync`,
        });
      } else resyncs.set(diff.localId, [...(resyncs.get(diff.localId) ?? []), diff]);
    } else if (reconciler.adjustLocal && diff.kind === 'value_differs') {
      plans.push({
        action: 'adjust',
        diffs: [diff],
        detail: `adjust ${diff.field ?? ''} to ${diff.erpValue ?? ''}`,
      });
    } else {
      plans.push({
        action: 'skip',
        diffs: [diff],
        detail: `no correction for ${diff.kind} of ${reconciler.entity}`,
      });
    }
  }
  for (const [localId, diffs] of resyncs) {
    plans.push({
      action: 'resync',
      diffs,
      detail: `${reconciler.resync?.eventEntity ?? ''}.resync of ${localId}`,
    });
  }
  return plans;
}

async function forgetCrosswalk(
  tx: Transaction<Database>,
  entry: { connector: string; entity: string; localId: string },
): Promise<void> {
  await tx
    .deleteFrom('sync_crosswalk')
    .where('connector', '=', entry.connector)
    .where('entity', '=', entry.entity)
    .where('local_id', '=', entry.localId)
    .execute();
}

async function applyPlan(
  db: Kysely<Database>,
  run: ReconRun,
  reconciler: Reconciler,
  plan: Plan,
): Promise<string> {
  const ids = plan.diffs.map((d) => d.id);
  const first = plan.diffs[0] as ReconDiff;
  const resync = reconciler.resync;
  if (plan.action === 'resync' && resync) {
    const localId = first.localId as string;
    return inTransaction(db, async (uow) => {
      const record = await resync.load(uow, localId);
      // The ERP lost the record: without its crosswalk entry the upsert flow creates it again.
      if (plan.diffs.some((d) => d.kind === 'missing_there' && d.externalId !== null)) {
        await forgetCrosswalk(uow.tx, {
          connector: run.connector,
          entity: run.summary.remoteEntity,
          localId,
        });
      }
      const changedFields = plan.diffs.some((d) => d.kind === 'missing_there')
        ? run.summary.fields.map((f) => f.name)
        : plan.diffs.map((d) => d.field ?? '');
      const event = await uow.emit({
        type: `${resync.eventEntity}.resync`,
        subject: `${resync.eventEntity}/${localId}`,
        data: { [resync.dataKey]: record, changedFields, resync: { runId: run.id, diffIds: ids } },
      });
      await markDiffsCorrected(uow.tx, ids, nowIso());
      return `event ${event.id}`;
    });
  }
  const adjust = reconciler.adjustLocal;
  if (plan.action === 'adjust' && adjust) {
    return inTransaction(db, async (uow) => {
      const reference = await adjust(uow, first, { runId: run.id });
      await markDiffsCorrected(uow.tx, ids, nowIso());
      return reference;
    });
  }
  return plan.detail;
}

/**
 * Posts corrections for a completed run through the normal paths: a record Fieldsync owns is re-sent by
 * emitting `<entity>.resync` (the full record, in the shape of the entity's own events) for the
 * outbound flows to deliver; a stock quantity difference becomes a count adjustment in the stock ledger.
 * Each correction commits with its diffs' `corrected_at` in one transaction; corrected diffs are not
 * touched again, so calling this twice posts nothing the second time.
 */
export async function postCorrections(
  db: Kysely<Database>,
  runId: string,
  options: PostCorrectionsOptions = {},
): Promise<CorrectionReport> {
  const kinds = options.kinds ?? ['missing_there', 'value_differs'];
  const unknown = kinds.filter((k) => !diffKinds.includes(k));
  if (unknown.length > 0) {
    throw errors.validation(`unknown diff kind(s): ${unknown.join(', ')}`, [
      { path: ['kinds'], message: `must be among ${diffKinds.join(', ')}` },
    ]);
  }
  const run = await getReconRun(db, runId);
  if (run.status !== 'completed') {
    throw errors.conflict(
      `reconciliation run ${runId} is ${run.status}; only completed runs can be corrected`,
      {
        status: run.status,
      },
    );
  }
  const reconciler = getReconciler(run.entity);
  const apply = options.apply ?? false;
  const maxListed = options.maxListed ?? 500;
  const report: CorrectionReport = {
    runId,
    applied: apply,
    counts: { resync: 0, adjust: 0, skip: 0, fail: 0 },
    outcomes: [],
    truncated: false,
  };
  for (const kind of kinds) {
    let afterId: number | undefined;
    do {
      const page = await listReconDiffs(
        db,
        runId,
        { kind, corrected: false },
        { limit: 200, ...(afterId && { afterId }) },
      );
      for (const plan of planPage(run, reconciler, page.data)) {
        let action = plan.action;
        let detail = plan.detail;
        if (apply && (action === 'resync' || action === 'adjust')) {
          try {
            detail = await applyPlan(db, run, reconciler, plan);
          } catch (error) {
            action = 'fail';
            detail = error instanceof Error ? error.message : String(error);
          }
        } else if (!apply && action !== 'skip') detail = `would ${action}: ${detail}`;
        report.counts[action] += plan.diffs.length;
        if (report.outcomes.length < maxListed) {
          const first = plan.diffs[0] as ReconDiff;
          report.outcomes.push({
            action,
            diffIds: plan.diffs.map((d) => d.id),
            kind: first.kind,
            key: first.key,
            localId: first.localId,
            detail,
          });
        } else report.truncated = true;
      }
      afterId = page.nextAfterId ?? undefined;
    } while (afterId !== undefined);
  }
  return report;
}

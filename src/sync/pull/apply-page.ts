import type { ConnectorRecord } from '../../connectors/sdk/index.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import { isAppError } from '../../shared/errors/index.js';
import { dataHash, snapshotVersions } from '../conflicts/index.js';
import type { InboundFlow } from '../engine/index.js';
import type { PulledRecord, RecordOutcome } from './apply-record.js';
import { applyPulledRecord } from './apply-record.js';
import { describeMappingIssues } from '../mapping/index.js';
import { openPullErrorVersions, recordPullError } from './pull-errors.js';
import type { PullRunContext, PullRunResult } from './pull-run-types.js';

/** Domain answers that concern this one record: it is recorded and the pull moves on. */
const recordLevelCodes: ReadonlySet<string> = new Set([
  'validation',
  'conflict',
  'unprocessable',
  'not_found',
]);
const maxRaceRetries = 3;
/**
 * A record whose apply fails in an unforeseen way (not a domain answer) aborts the run, so a passing
 * storage fault costs nothing; after this many such runs in a row it is set aside as a pull error, so one
 * record can never hold the cursor forever.
 */
export const maxRunFailures = 5;

/** Dedupes, maps and applies one page of pulled records, each in its own transaction, in page order. */
export async function applyPage(
  flow: InboundFlow,
  ctx: PullRunContext,
  result: PullRunResult,
  records: readonly ConnectorRecord[],
  retryErrors: boolean,
): Promise<void> {
  const ids = records.map((r) => r.externalId);
  const applied = await snapshotVersions(ctx.db, flow.connectorName, flow.sourceEntity, ids);
  const failed = await openPullErrorVersions(ctx.db, flow.name, ids);
  for (const record of records) {
    result.read += 1;
    const hash = dataHash(record.data);
    const seen = applied.get(record.externalId);
    if (
      seen?.erpModifiedAt != null &&
      (record.modifiedAt < seen.erpModifiedAt ||
        (record.modifiedAt === seen.erpModifiedAt && seen.erpHash === hash))
    ) {
      result.duplicates += 1;
      continue;
    }
    // A failed version is not tried again, unless it has only aborted runs so far (not set aside yet) or
    // this is a retry of pull errors (after a fix on our side: mapping, lookups, local data).
    const poison = failed.get(record.externalId);
    const setAside = poison?.errorClass !== 'internal' || poison.attempts >= maxRunFailures;
    if (
      poison &&
      setAside &&
      !retryErrors &&
      poison.modifiedAt === record.modifiedAt &&
      poison.erpHash === hash
    ) {
      result.duplicates += 1;
      continue;
    }
    const mapped = flow.mapping.map(record.data);
    if (!mapped.ok) {
      const issues = mapped.issues.map((i) => ({
        path: [i.field],
        message: i.transform ? `${i.transform}: ${i.message}` : i.message,
      }));
      await rejectRecord(flow, ctx, {
        record,
        hash,
        errorClass: 'validation',
        message: `mapping failed: ${describeMappingIssues(mapped.issues)}`,
        issues,
      });
      result.pullErrors += 1;
      continue;
    }
    const outcome = await applyWithRetry(flow, ctx, result, {
      flow,
      applier: ctx.applier,
      record,
      mapped: mapped.value,
      erpHash: hash,
      hadPullError: poison !== undefined,
    });
    if (!outcome) continue;
    result[outcome.kind] += 1;
    if (outcome.kind === 'skipped') continue;
    result.conflicts += outcome.newConflicts;
    result.settled += outcome.settledConflicts;
    ctx.metrics?.pulled.inc({ flow: flow.name });
    if (outcome.newConflicts + outcome.settledConflicts > 0)
      ctx.metrics?.conflicts.inc({ flow: flow.name }, outcome.newConflicts + outcome.settledConflicts);
  }
}

async function applyWithRetry(
  flow: InboundFlow,
  ctx: PullRunContext,
  result: PullRunResult,
  pulled: PulledRecord,
): Promise<RecordOutcome | undefined> {
  const { record, erpHash: hash } = pulled;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await applyPulledRecord(ctx.db, pulled);
    } catch (error) {
      if (isAppError(error)) {
        // A local edit landed between our read and our write: read again and decide again.
        if (error.code === 'precondition_failed' && attempt < maxRaceRetries) continue;
        if (recordLevelCodes.has(error.code)) {
          await rejectRecord(flow, ctx, {
            record,
            hash,
            errorClass: error.code,
            message: error.message,
            issues: error.issues,
          });
          result.pullErrors += 1;
          return undefined;
        }
      }
      const message = error instanceof Error ? error.message : String(error);
      const failures = await rejectRecord(flow, ctx, {
        record,
        hash,
        errorClass: 'internal',
        message,
        issues: [],
      });
      // Not set aside yet: the run aborts (cursor unsaved) and the next one tries the record again.
      if (failures < maxRunFailures) throw error;
      result.pullErrors += 1;
      return undefined;
    }
  }
}

/** Records the failure in sync_pull_errors (with log and metric); returns its consecutive failure count. */
interface Rejection {
  record: ConnectorRecord;
  hash: string;
  errorClass: string;
  message: string;
  issues: readonly FieldIssue[];
}

async function rejectRecord(flow: InboundFlow, ctx: PullRunContext, rejection: Rejection): Promise<number> {
  const { record, hash, errorClass, message, issues } = rejection;
  const attempts = await recordPullError(ctx.db, {
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
  ctx.metrics?.pullErrors?.inc({ flow: flow.name, error_class: errorClass });
  ctx.logger.warn(
    { flow: flow.name, externalId: record.externalId, modifiedAt: record.modifiedAt, errorClass, message },
    'pulled record rejected',
  );
  return attempts;
}

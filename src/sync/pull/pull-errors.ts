import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { ConnectorRecord } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import type { FieldIssue } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { pullDb, pullTx } from './tables.js';

export interface PullErrorInput {
  flow: string;
  connector: string;
  entity: string;
  externalEntity: string;
  record: ConnectorRecord;
  erpHash: string;
  /** validation (mapping or domain rules), conflict (a domain rule such as a duplicate code), not_found. */
  errorClass: string;
  message: string;
  issues: readonly FieldIssue[];
}

export interface PullError {
  id: string;
  flow: string;
  connector: string;
  entity: string;
  externalEntity: string;
  externalId: string;
  modifiedAt: string;
  errorClass: string;
  message: string;
  issues: FieldIssue[];
  data: unknown;
  status: 'open' | 'resolved';
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

/**
 * Records a pulled record that could not be applied, one row per flow and ERP record: a newer failing
 * version updates the row and counts an attempt. The pull moves on past it (no head-of-line blocking).
 */
export async function recordPullError(db: Kysely<Database>, input: PullErrorInput): Promise<number> {
  const now = nowIso();
  const values = {
    connector: input.connector,
    entity: input.entity,
    external_entity: input.externalEntity,
    modified_at: input.record.modifiedAt,
    erp_hash: input.erpHash,
    error_class: input.errorClass,
    message: input.message,
    issues: JSON.stringify(input.issues),
    data: JSON.stringify(input.record.data),
    status: 'open',
    last_seen_at: now,
    resolved_at: null,
  };
  const row = await pullDb(db)
    .insertInto('sync_pull_errors')
    .values({
      id: newId(),
      flow: input.flow,
      external_id: input.record.externalId,
      ...values,
      attempts: 1,
      first_seen_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['flow', 'external_id']).doUpdateSet({
        ...values,
        // Consecutive failures of one kind; a different reason, or a failure after a success, starts again at 1.
        attempts: sql<number>`case when sync_pull_errors.status = 'open' and sync_pull_errors.error_class = ${input.errorClass}
          then sync_pull_errors.attempts + 1 else 1 end`,
      }),
    )
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return Number(row.attempts);
}

/** Closes a record's pull error once a version of it applied. */
export async function resolvePullError(
  tx: Transaction<Database>,
  flow: string,
  externalId: string,
): Promise<void> {
  await pullTx(tx)
    .updateTable('sync_pull_errors')
    .set({ status: 'resolved', resolved_at: nowIso() })
    .where('flow', '=', flow)
    .where('external_id', '=', externalId)
    .where('status', '=', 'open')
    .execute();
}

/** The failing version of each record with an open pull error, so a re-read of it is not re-recorded. */
export async function openPullErrorVersions(
  db: Kysely<Database>,
  flow: string,
  externalIds: readonly string[],
): Promise<Map<string, { modifiedAt: string; erpHash: string; errorClass: string; attempts: number }>> {
  if (externalIds.length === 0) return new Map();
  const rows = await pullDb(db)
    .selectFrom('sync_pull_errors')
    .select(['external_id', 'modified_at', 'erp_hash', 'error_class', 'attempts'])
    .where('flow', '=', flow)
    .where('status', '=', 'open')
    .where('external_id', 'in', [...new Set(externalIds)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.external_id,
      {
        modifiedAt: r.modified_at,
        erpHash: r.erp_hash,
        errorClass: r.error_class,
        attempts: Number(r.attempts),
      },
    ]),
  );
}

export async function earliestOpenPullError(db: Kysely<Database>, flow: string): Promise<string | undefined> {
  const row = await pullDb(db)
    .selectFrom('sync_pull_errors')
    .select((eb) => eb.fn.min('modified_at').as('first'))
    .where('flow', '=', flow)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return row?.first ?? undefined;
}

export async function listPullErrors(
  db: Kysely<Database>,
  filter: { flow?: string; status?: 'open' | 'resolved'; externalId?: string } = {},
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: PullError[]; nextAfterId: string | null }> {
  let query = pullDb(db).selectFrom('sync_pull_errors').selectAll();
  if (filter.flow) query = query.where('flow', '=', filter.flow);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.externalId) query = query.where('external_id', '=', filter.externalId);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  const rows = await query
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map((r) => ({
      id: r.id,
      flow: r.flow,
      connector: r.connector,
      entity: r.entity,
      externalEntity: r.external_entity,
      externalId: r.external_id,
      modifiedAt: r.modified_at,
      errorClass: r.error_class,
      message: r.message,
      issues: JSON.parse(r.issues) as FieldIssue[],
      data: JSON.parse(r.data) as unknown,
      status: r.status === 'open' ? 'open' : 'resolved',
      attempts: Number(r.attempts),
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      resolvedAt: r.resolved_at,
    })),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

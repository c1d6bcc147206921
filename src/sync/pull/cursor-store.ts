import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Cursor } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import { pullDb, pullTx } from './tables.js';

export function parseCursor(text: string | null): Cursor | null {
  if (text === null) return null;
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return null;
  const { modifiedAt, id } = value as Record<string, unknown>;
  return typeof modifiedAt === 'string' && typeof id === 'string' ? { modifiedAt, id } : null;
}

export const formatCursor = (cursor: Cursor | null): string | null =>
  cursor === null ? null : JSON.stringify({ modifiedAt: cursor.modifiedAt, id: cursor.id });

async function ensureRow(db: Kysely<Database>, flow: string): Promise<void> {
  await pullDb(db)
    .insertInto('sync_cursors')
    .values({
      flow,
      cursor: null,
      last_run_at: null,
      last_success_at: null,
      last_error: null,
      pulled_total: 0,
      lease_owner: null,
      lease_expires_at: null,
      last_result: null,
    })
    .onConflict((oc) => oc.column('flow').doNothing())
    .execute();
}

/**
 * Takes the flow's run lease (a free, own or expired one) and returns the saved cursor. Only the lease
 * holder saves cursors, so two hubs never pull one flow at the same time.
 */
export async function claimFlow(
  db: Kysely<Database>,
  flow: string,
  owner: string,
  leaseMs: number,
): Promise<{ claimed: true; cursor: Cursor | null } | { claimed: false; heldBy: string | null }> {
  await ensureRow(db, flow);
  const now = nowIso();
  const result = await pullDb(db)
    .updateTable('sync_cursors')
    .set({
      lease_owner: owner,
      lease_expires_at: new Date(Date.now() + leaseMs).toISOString(),
      last_run_at: now,
    })
    .where('flow', '=', flow)
    .where((eb) =>
      eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_expires_at', '<', now)]),
    )
    .executeTakeFirst();
  const row = await pullDb(db)
    .selectFrom('sync_cursors')
    .select(['cursor', 'lease_owner'])
    .where('flow', '=', flow)
    .executeTakeFirstOrThrow();
  return Number(result.numUpdatedRows) === 1
    ? { claimed: true, cursor: parseCursor(row.cursor) }
    : { claimed: false, heldBy: row.lease_owner };
}

/** Saves the position after a committed page and renews the lease; false when the lease was lost. */
export async function saveCursor(
  db: Kysely<Database>,
  flow: string,
  owner: string,
  cursor: Cursor | null,
  leaseMs: number,
): Promise<boolean> {
  const result = await pullDb(db)
    .updateTable('sync_cursors')
    .set({ cursor: formatCursor(cursor), lease_expires_at: new Date(Date.now() + leaseMs).toISOString() })
    .where('flow', '=', flow)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Counted in the record's own transaction, so the total stays exact across crashes. */
export async function countPulled(tx: Transaction<Database>, flow: string): Promise<void> {
  await pullTx(tx)
    .updateTable('sync_cursors')
    .set({ pulled_total: sql<number>`pulled_total + 1` })
    .where('flow', '=', flow)
    .execute();
}

export async function finishRun(
  db: Kysely<Database>,
  flow: string,
  owner: string,
  outcome: { ok: boolean; error?: string; result: unknown },
): Promise<void> {
  const now = nowIso();
  await pullDb(db)
    .updateTable('sync_cursors')
    .set({
      lease_owner: null,
      lease_expires_at: null,
      last_result: JSON.stringify(outcome.result),
      ...(outcome.ok
        ? { last_success_at: now, last_error: null }
        : { last_error: outcome.error ?? 'failed' }),
    })
    .where('flow', '=', flow)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Moves a flow's cursor (null: read everything again; dedupe keeps that cheap). */
export async function setCursor(db: Kysely<Database>, flow: string, cursor: Cursor | null): Promise<void> {
  await ensureRow(db, flow);
  await pullDb(db)
    .updateTable('sync_cursors')
    .set({ cursor: formatCursor(cursor) })
    .where('flow', '=', flow)
    .execute();
}

export interface PullFlowStatus {
  flow: string;
  cursor: Cursor | null;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  pulledTotal: number;
  /** A run holds the lease now (this or another hub). */
  running: boolean;
  lastResult: unknown;
  openPullErrors: number;
}

/** Per flow, from `sync_cursors` (a flow that never ran shows empty values). */
export async function readPullStatus(
  db: Kysely<Database>,
  flows: readonly string[],
): Promise<PullFlowStatus[]> {
  if (flows.length === 0) return [];
  const rows = await pullDb(db)
    .selectFrom('sync_cursors')
    .selectAll()
    .where('flow', 'in', [...flows])
    .execute();
  const errors = await pullDb(db)
    .selectFrom('sync_pull_errors')
    .select(['flow', (eb) => eb.fn.countAll<number>().as('n')])
    .where('flow', 'in', [...flows])
    .where('status', '=', 'open')
    .groupBy('flow')
    .execute();
  const byFlow = new Map(rows.map((r) => [r.flow, r]));
  const errorsByFlow = new Map(errors.map((e) => [e.flow, Number(e.n)]));
  const now = nowIso();
  return flows.map((flow) => {
    const row = byFlow.get(flow);
    return {
      flow,
      cursor: parseCursor(row?.cursor ?? null),
      lastRunAt: row?.last_run_at ?? null,
      lastSuccessAt: row?.last_success_at ?? null,
      lastError: row?.last_error ?? null,
      pulledTotal: Number(row?.pulled_total ?? 0),
      running: row?.lease_owner != null && (row.lease_expires_at ?? '') > now,
      lastResult: row?.last_result ? (JSON.parse(row.last_result) as unknown) : null,
      openPullErrors: errorsByFlow.get(flow) ?? 0,
    };
  });
}

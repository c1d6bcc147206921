import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import type { SyncReplaysTable } from './tables.js';

export interface StillDead {
  id: number;
  flow: string;
  eventType: string;
  subject: string;
  errorClass: string | null;
  error: string | null;
}

export interface ReplayProgress {
  id: string;
  requestedBy: string;
  selector: Record<string, unknown>;
  createdAt: string;
  total: number;
  delivered: number;
  /** Back in the queue or being sent: the dispatcher has not settled them yet. */
  pending: number;
  /** Refused again after the replay's fresh attempts: the cause is not fixed. */
  dead: number;
  /** Nothing left pending: every replayed letter was delivered or is dead again. */
  finished: boolean;
  /** When it was first seen finished; from then on its figures are stored, final. Null while it runs. */
  finishedAt: string | null;
  /** The first letters that are dead again, with their latest error (at most 50). */
  stillDead: StillDead[];
}

const flowPrefix = 'flow:';
const STILL_DEAD_SHOWN = 50;

type ReplayRow = Selectable<SyncReplaysTable>;

function fromRow(row: ReplayRow, counts: { delivered: number; pending: number; dead: number }) {
  return {
    id: row.id,
    requestedBy: row.requested_by,
    selector: JSON.parse(row.selector) as Record<string, unknown>,
    createdAt: row.created_at,
    total: Number(row.total),
    ...counts,
  };
}

/** A finished replay as stored: no look at its items or their deliveries. */
function storedProgress(row: ReplayRow & { finished_at: string }): ReplayProgress {
  return {
    ...fromRow(row, { delivered: Number(row.delivered), pending: 0, dead: Number(row.dead) }),
    finished: true,
    finishedAt: row.finished_at,
    stillDead: row.still_dead === null ? [] : (JSON.parse(row.still_dead) as StillDead[]),
  };
}

/**
 * Counts a running replay's letters by their current delivery status. A replayed row can only be dead
 * again after the dispatcher tried it (the replay set it pending in the same transaction that recorded
 * it). Delivered rows may have been pruned by the history retention; a missing row therefore counts as
 * delivered, the only status that is ever pruned.
 *
 * The first time nothing is pending, the counts and the letters dead again are stored on the replay and
 * served from there: they cannot change any more by this replay's doing (a letter dead again and replayed
 * later belongs to that later replay), and counting a large replay on every poll was the cost.
 */
async function progressOf(db: Kysely<Database>, row: ReplayRow): Promise<ReplayProgress> {
  if (row.finished_at !== null) return storedProgress({ ...row, finished_at: row.finished_at });
  const counts = await db
    .selectFrom('sync_replay_items as i')
    .leftJoin('outbox_deliveries as d', 'd.id', 'i.delivery_id')
    .select(['d.status as status', sql<number>`count(*)`.as('n')])
    .where('i.replay_id', '=', row.id)
    .groupBy('d.status')
    .execute();
  let pending = 0;
  let dead = 0;
  let delivered = 0;
  for (const c of counts) {
    const n = Number(c.n);
    if (c.status === 'pending' || c.status === 'in_flight') pending += n;
    else if (c.status === 'dead') dead += n;
    else delivered += n;
  }
  const stillDead = dead === 0 ? [] : await stillDeadOf(db, row.id);
  if (pending > 0) {
    return { ...fromRow(row, { delivered, pending, dead }), finished: false, finishedAt: null, stillDead };
  }
  const finishedAt = nowIso();
  // Whoever sees it finished first stores it; another reader (or hub) storing the same counts is harmless.
  await db
    .updateTable('sync_replays')
    .set({ delivered, dead, still_dead: JSON.stringify(stillDead), finished_at: finishedAt })
    .where('id', '=', row.id)
    .where('finished_at', 'is', null)
    .execute();
  return { ...fromRow(row, { delivered, pending, dead }), finished: true, finishedAt, stillDead };
}

async function stillDeadOf(db: Kysely<Database>, replayId: string): Promise<StillDead[]> {
  const rows = await db
    .selectFrom('sync_replay_items as i')
    .innerJoin('outbox_deliveries as d', 'd.id', 'i.delivery_id')
    .select(['d.id', 'd.subscriber', 'd.event_type', 'd.subject', 'd.last_error_class', 'd.last_error'])
    .where('i.replay_id', '=', replayId)
    .where('d.status', '=', 'dead')
    .orderBy('d.id')
    .limit(STILL_DEAD_SHOWN)
    .execute();
  return rows.map((d) => ({
    id: Number(d.id),
    flow: d.subscriber.startsWith(flowPrefix) ? d.subscriber.slice(flowPrefix.length) : d.subscriber,
    eventType: d.event_type,
    subject: d.subject,
    errorClass: d.last_error_class,
    error: d.last_error,
  }));
}

export async function getReplay(db: Kysely<Database>, id: string): Promise<ReplayProgress> {
  const row = await db.selectFrom('sync_replays').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('replay', id);
  return progressOf(db, row);
}

/** Replays newest first, each with its progress (keyset on the time-ordered id). */
export async function listReplays(
  db: Kysely<Database>,
  page: { limit: number; beforeId?: string },
): Promise<{ data: ReplayProgress[]; nextBeforeId: string | null }> {
  let query = db
    .selectFrom('sync_replays')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
  const rows = await query.execute();
  const data = await Promise.all(rows.slice(0, page.limit).map((r) => progressOf(db, r)));
  return { data, nextBeforeId: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

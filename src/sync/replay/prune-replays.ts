import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { getReplay } from './replay-progress.js';

/** Item rows deleted per statement: each holds the SQLite writer, and the event loop, briefly. */
const CHUNK = 5000;

/**
 * Bounded retention for replays: a replay's items (one row per letter it put back) are needed only to
 * count its progress while it runs; once it has finished, its figures are stored on the replay. Items of
 * replays finished more than `keepDays` ago are deleted (the replay rows, with their final figures,
 * stay). A replay older than that nobody looked at since it finished is settled first, so its figures
 * are stored before its items go; one still running keeps them.
 */
export async function pruneReplays(
  db: Kysely<Database>,
  options: { keepDays: number; now?: Date },
): Promise<{ replays: number; items: number }> {
  const cutoff = new Date(
    (options.now ?? new Date()).getTime() - options.keepDays * 86_400_000,
  ).toISOString();
  const unsettled = await db
    .selectFrom('sync_replays')
    .select('id')
    .where('finished_at', 'is', null)
    .where('created_at', '<', cutoff)
    .execute();
  for (const { id } of unsettled) await getReplay(db, id);
  const due = await db.selectFrom('sync_replays').select('id').where('finished_at', '<', cutoff).execute();
  let items = 0;
  let replays = 0;
  for (const { id } of due) {
    let fromThis = 0;
    for (;;) {
      const deleted = await db
        .deleteFrom('sync_replay_items')
        .where(
          'id',
          'in',
          db.selectFrom('sync_replay_items').select('id').where('replay_id', '=', id).limit(CHUNK),
        )
        .executeTakeFirst();
      const n = Number(deleted.numDeletedRows);
      fromThis += n;
      if (n < CHUNK) break;
      await setImmediate();
    }
    items += fromThis;
    if (fromThis > 0) replays += 1;
  }
  return { replays, items };
}

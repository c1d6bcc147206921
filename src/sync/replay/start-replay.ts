import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { DeadLetterFilter } from '../delivery/index.js';
import { listDeadLetters, replayDeadLetters } from '../delivery/index.js';

/** What a replay request names: letters by id, a filter, or `all`. */
export interface ReplaySelector extends DeadLetterFilter {
  all?: boolean;
}

export interface StartedReplay {
  /** Null when nothing matched: there is nothing to follow. */
  replayId: string | null;
  replayed: number;
}

const CHUNK = 500;

/**
 * Replays the dead letters a selector names and remembers which ones, so the replay's progress can be
 * read later by anyone (GET /v1/sync/replays/{id}). The selection, the record of it and the replay itself
 * are one transaction: the items are exactly the letters that were dead when the replay took them, and a
 * crash leaves either all of it or none. The replay semantics (fresh attempt budget, original idempotency
 * key, only rows still dead) stay those of the delivery module's `replayDeadLetters`.
 */
export async function startReplay(
  db: Kysely<Database>,
  options: { selector: ReplaySelector; requestedBy: string },
): Promise<StartedReplay> {
  const { all: _all, ...filter } = options.selector;
  return db.transaction().execute(async (tx) => {
    const ids: number[] = [];
    let afterId: number | undefined;
    for (;;) {
      const page = await listDeadLetters(tx, filter, {
        limit: CHUNK,
        ...(afterId !== undefined && { afterId }),
      });
      ids.push(...page.data.map((d) => d.id));
      if (page.nextAfterId === null) break;
      afterId = page.nextAfterId;
    }
    if (ids.length === 0) return { replayId: null, replayed: 0 };
    const replayId = newId();
    await tx
      .insertInto('sync_replays')
      .values({
        id: replayId,
        requested_by: options.requestedBy,
        selector: JSON.stringify(options.selector),
        total: ids.length,
        created_at: nowIso(),
      })
      .execute();
    let replayed = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      await tx
        .insertInto('sync_replay_items')
        .values(chunk.map((deliveryId) => ({ replay_id: replayId, delivery_id: deliveryId })))
        .execute();
      replayed += await replayDeadLetters(tx, { ids: chunk });
    }
    return { replayId, replayed };
  });
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import { nowIso } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { DeadLetterFilter } from '../delivery/index.js';
import { deadLetterQuery } from '../delivery/index.js';

/** What a replay request names: letters by id, a filter, or `all`. */
export interface ReplaySelector extends DeadLetterFilter {
  all?: boolean;
}

export interface StartedReplay {
  /** Null when nothing matched: there is nothing to follow. */
  replayId: string | null;
  replayed: number;
}

/**
 * Replays the dead letters a selector names and remembers which ones, so the replay's progress can be
 * read later by anyone (GET /v1/sync/replays/{id}). The selection, the record of it and the replay itself
 * are one transaction: the items are exactly the letters that were dead when the replay took them, and a
 * crash leaves either all of it or none.
 *
 * Set-based, whatever the number of letters: one INSERT … SELECT records the selection, one UPDATE puts
 * those rows back in the queue. Reading the letters into the process (payloads and mapped requests) and
 * writing them back in chunks held the SQLite writer, and the event loop, for seconds on a large queue.
 *
 * The replay semantics are those of the delivery module's `replayDeadLetters`: a fresh attempt budget,
 * the original idempotency key, and only rows still dead, so replaying twice changes nothing the second
 * time. On PostgreSQL the selected rows are locked: a concurrent replay of the same letters waits, then
 * finds them no longer dead and takes none of them.
 */
export async function startReplay(
  db: Kysely<Database>,
  options: { selector: ReplaySelector; requestedBy: string },
): Promise<StartedReplay> {
  const { all: _all, ...filter } = options.selector;
  return db.transaction().execute(async (tx) => {
    const replayId = newId();
    const selection = forUpdate(
      tx,
      deadLetterQuery(tx, filter).select((eb) => [
        eb.cast<string>(eb.val(replayId), 'text').as('replay_id'),
        'id',
      ]),
    );
    const inserted = await tx
      .insertInto('sync_replay_items')
      .columns(['replay_id', 'delivery_id'])
      .expression(selection)
      .executeTakeFirst();
    const total = Number(inserted.numInsertedOrUpdatedRows ?? 0);
    if (total === 0) return { replayId: null, replayed: 0 };
    const updated = await tx
      .updateTable('outbox_deliveries')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: nowIso(),
        lease_owner: null,
        lease_expires_at: null,
      })
      .where('status', '=', 'dead')
      .where(
        'id',
        'in',
        tx.selectFrom('sync_replay_items').select('delivery_id').where('replay_id', '=', replayId),
      )
      .executeTakeFirst();
    await tx
      .insertInto('sync_replays')
      .values({
        id: replayId,
        requested_by: options.requestedBy,
        selector: JSON.stringify(options.selector),
        total,
        created_at: nowIso(),
        delivered: null,
        dead: null,
        still_dead: null,
        finished_at: null,
      })
      .execute();
    return { replayId, replayed: Number(updated.numUpdatedRows) };
  });
}

import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

const patternRule = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/;

export function isTypePattern(value: string): boolean {
  return patternRule.test(value);
}

/**
 * Makes the stored subscriptions of `subscribers` equal to the given patterns; subscribers not named are
 * left alone unless `prune` lists the prefix they share (e.g. `flow:`), in which case they are removed.
 * Events committed from then on fan out to the new set; past events are not replayed.
 */
export async function setSubscriptions(
  db: Kysely<Database>,
  subscriptions: Record<string, readonly string[]>,
  options: { prune?: string } = {},
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (options.prune !== undefined) {
      const keep = Object.keys(subscriptions);
      let del = tx.deleteFrom('outbox_subscriptions').where('subscriber', 'like', `${options.prune}%`);
      if (keep.length > 0) del = del.where('subscriber', 'not in', keep);
      await del.execute();
    }
    for (const [subscriber, patterns] of Object.entries(subscriptions)) {
      for (const p of patterns)
        if (!isTypePattern(p)) throw new Error(`invalid event type pattern "${p}" for ${subscriber}`);
      await tx.deleteFrom('outbox_subscriptions').where('subscriber', '=', subscriber).execute();
      const unique = [...new Set(patterns)];
      if (unique.length > 0) {
        await tx
          .insertInto('outbox_subscriptions')
          .values(unique.map((type_pattern) => ({ subscriber, type_pattern })))
          .execute();
      }
    }
  });
}

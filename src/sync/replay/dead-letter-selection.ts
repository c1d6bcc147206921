import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { DeadLetterFilter } from '../delivery/index.js';

const flowPrefix = 'flow:';

/**
 * The ids of the dead letters a filter names, as a subquery a replay can insert from in one statement
 * (nothing is read into the process). The conditions are the dead-letter list's (same columns, same
 * `entity.%` match), so a replay takes exactly what the list shows for the same filter; a test holds the
 * two together. Every given value constrains, even an empty one: an empty `ids` or `flow` matches
 * nothing, never everything, since an unconstrained replay would put back every dead letter.
 */
export function deadLetterIds(db: Kysely<Database> | Transaction<Database>, filter: DeadLetterFilter) {
  let query = db.selectFrom('outbox_deliveries').where('status', '=', 'dead');
  if (filter.flow !== undefined) query = query.where('subscriber', '=', `${flowPrefix}${filter.flow}`);
  if (filter.entity !== undefined) query = query.where('event_type', 'like', `${filter.entity}.%`);
  if (filter.errorClass !== undefined) query = query.where('last_error_class', '=', filter.errorClass);
  if (filter.olderThan !== undefined) query = query.where('event_time', '<', filter.olderThan);
  const { ids } = filter;
  if (ids !== undefined) query = query.where((eb) => (ids.length > 0 ? eb('id', 'in', ids) : eb.lit(false)));
  return query;
}

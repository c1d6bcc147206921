import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { CloudEvent } from './event.js';

export interface ReadEventsOptions {
  afterPosition?: number;
  subject?: string;
  types?: string[];
  ids?: string[];
  limit?: number;
}

/** Reads stored events in commit order, decoded as CloudEvents. */
export async function readEvents(
  db: Kysely<Database>,
  options: ReadEventsOptions = {},
): Promise<CloudEvent[]> {
  let query = db
    .selectFrom('outbox_events')
    .selectAll()
    .where('position', '>', options.afterPosition ?? 0)
    .orderBy('position')
    .limit(options.limit ?? 1000);
  if (options.subject) query = query.where('subject', '=', options.subject);
  if (options.types && options.types.length > 0) query = query.where('type', 'in', options.types);
  if (options.ids && options.ids.length > 0) query = query.where('id', 'in', options.ids);
  const rows = await query.execute();
  return rows.map((row) => ({
    specversion: '1.0',
    datacontenttype: 'application/json',
    id: row.id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: row.time,
    sequence: Number(row.sequence),
    position: Number(row.position),
    data: JSON.parse(row.data) as unknown,
  }));
}

import type { Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../src/platform/db/index.js';

/**
 * Dead letters written straight into outbox_deliveries (no dispatcher, no ERP): what replay and its
 * bookkeeping work on, at any size, in milliseconds. Each gets its own event id and subject.
 */
export async function seedDeadLetters(
  db: Kysely<Database>,
  options: {
    count: number;
    flow?: string;
    eventType?: string;
    errorClass?: string;
    eventTime?: string;
    prefix?: string;
  },
): Promise<number[]> {
  const now = new Date().toISOString();
  const prefix = options.prefix ?? Math.random().toString(36).slice(2, 8);
  const subscriber = `flow:${options.flow ?? 'seeded'}`;
  const ids: number[] = [];
  for (let i = 0; i < options.count; i += 500) {
    const rows = Array.from({ length: Math.min(500, options.count - i) }, (_, k) => {
      const eventId = `${prefix}-${i + k}`;
      return {
        subscriber,
        event_id: eventId,
        event_position: i + k,
        event_type: options.eventType ?? 'customer.updated',
        subject: `customer/${eventId}`,
        sequence: 1,
        event_time: options.eventTime ?? now,
        idempotency_key: `${subscriber}:${eventId}`,
        status: 'dead',
        attempts: 2,
        next_attempt_at: now,
        last_error_class: options.errorClass ?? 'validation',
        last_error: 'refused by the seed',
        mapped_request: JSON.stringify({ name: eventId }),
        created_at: now,
      };
    });
    const inserted = await db.insertInto('outbox_deliveries').values(rows).returning('id').execute();
    ids.push(...inserted.map((r) => Number(r.id)));
  }
  return ids;
}

/**
 * A plugin that records every statement run through the instance it is added to (`db.withPlugin`), as
 * its query tree in JSON: enough to count statements and to see which tables each one names.
 */
export function statementLog(): { plugin: KyselyPlugin; statements: string[] } {
  const statements: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      statements.push(JSON.stringify(args.node));
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  return { plugin, statements };
}

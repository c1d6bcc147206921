// Bulk-seeds synthetic outbox events with their deliveries for engine benchmarks (bypassing the domain
// services, whose cost is measured elsewhere).
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../src/platform/db/index.js';
import { newId } from '../src/shared/ids.js';

export async function seedDeliveries(
  db: Kysely<Database>,
  options: { events: number; subjects: number; subscriber: string; time?: string },
): Promise<void> {
  const time = options.time ?? new Date().toISOString();
  const chunk = 500;
  const sequences = new Map<number, number>();
  let position = Number(
    (
      await db
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.max('position').as('p'))
        .executeTakeFirst()
    )?.p ?? 0,
  );
  for (let start = 0; start < options.events; start += chunk) {
    const events: Insertable<Database['outbox_events']>[] = [];
    const deliveries: Insertable<Database['outbox_deliveries']>[] = [];
    for (let i = start; i < Math.min(options.events, start + chunk); i += 1) {
      const subjectNo = i % options.subjects;
      const sequence = (sequences.get(subjectNo) ?? 0) + 1;
      sequences.set(subjectNo, sequence);
      const id = newId();
      const subject = `customer/bench-${subjectNo}`;
      position += 1;
      events.push({
        position,
        id,
        source: '/fieldsync/customer',
        type: 'customer.updated',
        subject,
        sequence,
        time,
        data: JSON.stringify({
          customer: {
            id: `bench-${subjectNo}`,
            name: `Bench ${i}`,
            code: `B${subjectNo}`,
            version: sequence,
          },
        }),
      });
      deliveries.push({
        subscriber: options.subscriber,
        event_id: id,
        event_position: position,
        event_type: 'customer.updated',
        subject,
        sequence,
        event_time: time,
        idempotency_key: `${options.subscriber}:${id}`,
        status: 'pending',
        attempts: 0,
        next_attempt_at: time,
        created_at: time,
      });
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('outbox_events').values(events).execute();
      await tx.insertInto('outbox_deliveries').values(deliveries).execute();
    });
  }
}

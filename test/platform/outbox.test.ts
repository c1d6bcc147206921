import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createCustomer } from '../../src/modules/customers/index.js';
import { inTransaction, readEvents } from '../../src/platform/outbox/index.js';
import { describeEachEngine } from '../support/test-database.js';

async function counts(db: Parameters<typeof readEvents>[0]) {
  const customers = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('outbox_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { customers: Number(customers.n), events: Number(events.n) };
}

describeEachEngine('transactional outbox', (db) => {
  it('stores a CloudEvents-shaped event with the business row, numbered per subject', async () => {
    const created = await createCustomer(db().db, { name: 'Outbox One' });
    const events = await readEvents(db().db, { subject: `customer/${created.id}` });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'customer.created',
      subject: `customer/${created.id}`,
      source: '/fieldsync/customer',
      sequence: 1,
      datacontenttype: 'application/json',
    });
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event?.time ?? '')).not.toBeNaN();
    expect((event?.data as { customer: { name: string } }).customer.name).toBe('Outbox One');

    await inTransaction(db().db, async (uow) => {
      await uow.emit({ type: 'customer.updated', subject: `customer/${created.id}`, data: {} });
      await uow.emit({ type: 'customer.updated', subject: `customer/${created.id}`, data: {} });
      await uow.emit({ type: 'item.updated', subject: 'item/other', data: {} });
    });
    const again = await readEvents(db().db, { subject: `customer/${created.id}` });
    expect(again.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect((await readEvents(db().db, { subject: 'item/other' }))[0]?.sequence).toBe(1);
  });

  it('keeps neither row nor event when the write throws after emitting', async () => {
    const before = await counts(db().db);
    await expect(
      inTransaction(db().db, async (uow) => {
        await createCustomer(uow, { name: 'Doomed' });
        throw new Error('business rule failed after the event was emitted');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await counts(db().db)).toEqual(before);
  });

  it('keeps no row when writing the event fails', async () => {
    const before = await counts(db().db);
    await expect(
      inTransaction(db().db, async (uow) => {
        await uow.tx
          .insertInto('customers')
          .values({
            id: 'no-event-row',
            code: null,
            name: 'Without event',
            legal_name: null,
            tax_id: null,
            email: null,
            phone: null,
            currency: 'EUR',
            status: 'active',
            external_refs: '{}',
            version: 1,
            created_at: new Date().toISOString(),
            updated_at: new Date().toISOString(),
          })
          .execute();
        // BigInt cannot be serialised: the event write fails inside the transaction.
        await uow.emit({
          type: 'customer.created',
          subject: 'customer/no-event-row',
          data: { n: BigInt(1) },
        });
      }),
    ).rejects.toThrow();
    expect(await counts(db().db)).toEqual(before);
    expect(
      await db().db.selectFrom('customers').where('id', '=', 'no-event-row').selectAll().executeTakeFirst(),
    ).toBeUndefined();
  });

  it('holds "event iff committed" over random write / rollback sequences (R2)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            writes: fc.integer({ min: 1, max: 3 }),
            fail: fc.constantFrom('none', 'before-emit', 'after-emit'),
          }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        async (plan) => {
          const tag = `r2-${Math.random().toString(36).slice(2)}`;
          let committed = 0;
          for (const step of plan) {
            try {
              await inTransaction(db().db, async (uow) => {
                for (let i = 0; i < step.writes; i += 1) {
                  if (step.fail === 'before-emit' && i === step.writes - 1)
                    throw new Error('fail before emit');
                  await createCustomer(uow, { name: `${tag}-${i}` });
                }
                if (step.fail === 'after-emit') throw new Error('fail after emit');
              });
              committed += step.writes;
            } catch {
              // expected for failing steps
            }
          }
          const rows = await db()
            .db.selectFrom('customers')
            .select('id')
            .where('name', 'like', `${tag}-%`)
            .execute();
          const events = await db()
            .db.selectFrom('outbox_events')
            .select('subject')
            .where('type', '=', 'customer.created')
            .where('subject', 'in', rows.length > 0 ? rows.map((r) => `customer/${r.id}`) : ['none'])
            .execute();
          expect(rows).toHaveLength(committed);
          expect(events).toHaveLength(committed);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('numbers concurrent events of one subject without gaps or duplicates', async () => {
    const subject = `customer/concurrent-${Date.now()}`;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        inTransaction(db().db, async (uow) => {
          await uow.emit({ type: 'customer.updated', subject, data: {} });
        }),
      ),
    );
    const events = await readEvents(db().db, { subject });
    expect(events.map((e) => e.sequence).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});

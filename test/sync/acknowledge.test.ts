import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import {
  acknowledge,
  leaseDeliveries,
  linkRecords,
  reclaimExpiredLeases,
} from '../../src/sync/delivery/index.js';
import type { DeliveryOutcome, LeasedDelivery } from '../../src/sync/delivery/index.js';
import { seedDeliveries } from '../../bench/sync-seed.js';
import { describeEachEngine } from '../support/test-database.js';

// The acknowledgement is one statement on PostgreSQL and one transaction on SQLite; both must record
// the same thing for the same outcomes.
describeEachEngine('acknowledge', (db, engine) => {
  const subscriber = 'flow:ack';
  const startedAt = '2026-12-07T10:00:00.000Z';
  const lease = (owner: string, limit = 4) =>
    leaseDeliveries(db().db, {
      subscriber,
      owner,
      limit,
      leaseMs: 60_000,
      link: { connector: 'erp', entity: 'customer' },
    });
  beforeEach(async () => {
    for (const table of ['sync_attempts', 'sync_crosswalk', 'outbox_deliveries', 'outbox_events'] as const)
      await db().db.deleteFrom(table).execute();
    if (engine === 'sqlite') await db().db.deleteFrom('sync_leases').execute();
  });
  /** The connector accepted `x` and answered `externalId`. */
  const deliveredAs = (x: LeasedDelivery, externalId: string): DeliveryOutcome => ({
    kind: 'delivered',
    deliveryId: x.id,
    attempt: 1,
    startedAt,
    durationMs: 1,
    crosswalk: { connector: 'erp', entity: 'customer', localId: x.subject.slice(9), externalId },
  });
  const rows = () =>
    db()
      .db.selectFrom('outbox_deliveries')
      .select(['id', 'status', 'attempts', 'last_error_class', 'mapped_request', 'lease_owner'])
      .where('subscriber', '=', subscriber)
      .orderBy('id')
      .execute();

  it('records delivered, retried, dead and given-back attempts with their history and links', async () => {
    await seedDeliveries(db().db, { events: 4, subjects: 4, subscriber });
    const batch = await lease('hub-a');
    expect(batch.map((d) => d.attempts)).toEqual([1, 1, 1, 1]);
    const [a, b, c, d] = batch.map((x) => x.id) as [number, number, number, number];
    const outcomes: DeliveryOutcome[] = [
      {
        kind: 'delivered',
        deliveryId: a,
        attempt: 1,
        startedAt,
        durationMs: 12.4,
        crosswalk: { connector: 'erp', entity: 'customer', localId: 'bench-0', externalId: '700' },
      },
      {
        kind: 'retry',
        deliveryId: b,
        attempt: 1,
        startedAt,
        durationMs: 12.4,
        errorClass: 'transient',
        errorMessage: 'HTTP 503',
        nextAttemptAt: '2026-12-07T10:01:00.000Z',
        mappedRequest: { op: 'create' },
      },
      {
        kind: 'dead',
        deliveryId: c,
        attempt: 1,
        startedAt,
        durationMs: 12.4,
        errorClass: 'validation',
        errorMessage: 'x'.repeat(5000),
      },
      {
        kind: 'retry',
        deliveryId: d,
        attempt: 1,
        startedAt,
        durationMs: 12.4,
        errorClass: 'rate_limited',
        errorMessage: 'slow down',
        uncounted: true,
      },
    ];
    await acknowledge(db().db, 'ack', 'hub-a', outcomes);
    expect(await rows()).toEqual([
      {
        id: a,
        status: 'delivered',
        attempts: 1,
        last_error_class: null,
        mapped_request: null,
        lease_owner: null,
      },
      {
        id: b,
        status: 'pending',
        attempts: 1,
        last_error_class: 'transient',
        mapped_request: '{"op":"create"}',
        lease_owner: null,
      },
      {
        id: c,
        status: 'dead',
        attempts: 1,
        last_error_class: 'validation',
        mapped_request: null,
        lease_owner: null,
      },
      {
        id: d,
        status: 'pending',
        attempts: 0,
        last_error_class: 'rate_limited',
        mapped_request: null,
        lease_owner: null,
      },
    ]);
    const history = await db()
      .db.selectFrom('sync_attempt_log')
      .select(['delivery_id', 'flow', 'attempt', 'outcome', 'duration_ms', 'error_class', 'error_message'])
      .orderBy('delivery_id')
      .execute();
    expect(history.map((h) => [Number(h.delivery_id), h.outcome, h.error_class, h.duration_ms])).toEqual([
      [a, 'delivered', null, 12],
      [b, 'retry', 'transient', 12],
      [c, 'dead', 'validation', 12],
      [d, 'retry', 'rate_limited', 12],
    ]);
    expect(history[2]?.error_message).toHaveLength(2000);
    const links = await db().db.selectFrom('sync_crosswalk').select(['local_id', 'external_id']).execute();
    expect(links).toEqual([{ local_id: 'bench-0', external_id: '700' }]);
  });

  it('records nothing for work whose lease expired and another hub took over', async () => {
    await seedDeliveries(db().db, { events: 2, subjects: 2, subscriber });
    const batch = await lease('hub-a');
    expect(await reclaimExpiredLeases(db().db, subscriber, new Date(Date.now() + 120_000))).toBe(2);
    const taken = await lease('hub-b');
    expect(taken.map((x) => [x.id, x.attempts])).toEqual(batch.map((x) => [x.id, 2]));
    await acknowledge(
      db().db,
      'ack',
      'hub-a',
      batch.map((x) => deliveredAs(x, `e-${x.id}`)),
    );
    expect((await rows()).map((r) => r.status)).toEqual(
      engine === 'postgres' ? ['in_flight', 'in_flight'] : ['pending', 'pending'],
    );
    expect(await db().db.selectFrom('sync_attempt_log').select('delivery_id').execute()).toEqual([]);
    expect(await db().db.selectFrom('sync_crosswalk').select('local_id').execute()).toEqual([]);
    // The holder's acknowledgement counts: both attempts, the lost one and its own.
    await acknowledge(
      db().db,
      'ack',
      'hub-b',
      taken.map((x) => ({ ...deliveredAs(x, `e-${x.id}`), attempt: 2 })),
    );
    expect((await rows()).map((r) => [r.status, Number(r.attempts)])).toEqual([
      ['delivered', 2],
      ['delivered', 2],
    ]);
  });

  // Row leases are PostgreSQL's alone; a SQLite lease is lost or kept as a whole batch (above).
  if (engine === 'postgres')
    it('records nothing for the rows of a batch whose lease another hub took over (row leases)', async () => {
      await seedDeliveries(db().db, { events: 2, subjects: 2, subscriber });
      const batch = await lease('hub-a');
      await db()
        .db.updateTable('outbox_deliveries')
        .set({ lease_owner: 'hub-b' })
        .where('id', '=', batch[0]?.id ?? 0)
        .execute();
      await acknowledge(
        db().db,
        'ack',
        'hub-a',
        batch.map((x) => deliveredAs(x, `e-${x.id}`)),
      );
      const after = await rows();
      expect(after.map((r) => [r.status, r.lease_owner])).toEqual([
        ['in_flight', 'hub-b'],
        ['delivered', null],
      ]);
      const history = await db().db.selectFrom('sync_attempt_log').select('delivery_id').execute();
      expect(history.map((h) => Number(h.delivery_id))).toEqual([batch[1]?.id]);
      const links = await db().db.selectFrom('sync_crosswalk').select('local_id').execute();
      expect(links).toEqual([{ local_id: 'bench-1' }]);
    });

  it('moves an ERP id to the record it now confirms, and the lease reads the link back', async () => {
    await seedDeliveries(db().db, { events: 2, subjects: 2, subscriber });
    await linkRecords(db().db, {
      connector: 'erp',
      entity: 'customer',
      localId: 'old-record',
      externalId: '42',
    });
    await linkRecords(db().db, { connector: 'erp', entity: 'customer', localId: 'bench-1', externalId: '9' });
    const batch = await lease('hub-a');
    expect(batch.map((x) => x.external_id)).toEqual([null, '9']);
    await acknowledge(
      db().db,
      'ack',
      'hub-a',
      batch.map((x) => deliveredAs(x, '42')),
    );
    // Both records claimed ERP id 42 in one batch: the later confirmation holds it, nobody else does.
    const links = await db()
      .db.selectFrom('sync_crosswalk')
      .select(['local_id', 'external_id'])
      .orderBy('local_id')
      .execute();
    expect(links).toEqual([{ local_id: 'bench-1', external_id: '42' }]);
    expect((await rows()).map((r) => r.status)).toEqual(['delivered', 'delivered']);
    expect(await db().db.selectFrom('sync_attempt_log').select('id').execute()).toHaveLength(2);
  });

  it('rewrites a link only when the ERP id changes: updated_at tells when it was made or last changed', async () => {
    await seedDeliveries(db().db, { events: 2, subjects: 2, subscriber });
    const linkedAt = '2026-01-01T00:00:00.000Z';
    for (const [localId, externalId] of [
      ['bench-0', '7'],
      ['bench-1', '8'],
    ] as const)
      await db()
        .db.insertInto('sync_crosswalk')
        .values({
          connector: 'erp',
          entity: 'customer',
          local_id: localId,
          external_id: externalId,
          updated_at: linkedAt,
        })
        .execute();
    const [same, moved] = (await lease('hub-a')) as [LeasedDelivery, LeasedDelivery];
    // The engine leaves an unchanged link out of the outcome; a connector-side confirmation may still send it.
    await acknowledge(db().db, 'ack', 'hub-a', [deliveredAs(same, '7'), deliveredAs(moved, '80')]);
    const links = await db()
      .db.selectFrom('sync_crosswalk')
      .select(['local_id', 'external_id', 'updated_at'])
      .orderBy('local_id')
      .execute();
    expect(links[0]).toEqual({ local_id: 'bench-0', external_id: '7', updated_at: linkedAt });
    expect(links[1]?.external_id).toBe('80');
    expect(links[1]?.updated_at).not.toBe(linkedAt);
    await linkRecords(db().db, { connector: 'erp', entity: 'customer', localId: 'bench-0', externalId: '7' });
    const again = await db()
      .db.selectFrom('sync_crosswalk')
      .select('updated_at')
      .where('local_id', '=', 'bench-0')
      .executeTakeFirstOrThrow();
    expect(again.updated_at).toBe(linkedAt);
  });

  // SQLite moves a row that outgrows its page (a split and a rebalance); the reserve keeps the row's size.
  it.runIf(engine === 'sqlite')('leaves an acknowledged row its stored size on SQLite', async () => {
    const storedBytes = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select sum(payload) as n from dbstat where name = 'outbox_deliveries'`.execute(db().db)
        ).rows[0]?.n,
      );
    await seedDeliveries(db().db, { events: 300, subjects: 300, subscriber });
    for (const durationMs of [0, 90, 4000]) {
      const batch = await lease('hub-a', 100);
      const before = await storedBytes();
      await acknowledge(
        db().db,
        'ack',
        'hub-a',
        batch.map((x) => ({ ...deliveredAs(x, `x-${x.id}`), durationMs })),
      );
      const delivered = new Set((await rows()).filter((r) => r.status === 'delivered').map((r) => r.id));
      expect(batch.every((x) => delivered.has(x.id))).toBe(true);
      // Without the reserve each row grows by 50 bytes or more; with it, by -2 to 0.
      const grown = (await storedBytes()) - before;
      expect(grown).toBeLessThanOrEqual(0);
      expect(grown).toBeGreaterThanOrEqual(-2 * batch.length);
    }
  });

  it('keeps first-try successes on their rows, and a retried success as an attempt row, in one batch or apart', async () => {
    await seedDeliveries(db().db, { events: 4, subjects: 4, subscriber });
    const firstTries = (await lease('hub-a', 2)).map((x) => deliveredAs(x, `e-${x.id}`));
    await acknowledge(db().db, 'ack', 'hub-a', firstTries);
    const mixed = await lease('hub-a', 2);
    await acknowledge(db().db, 'ack', 'hub-a', [
      deliveredAs(mixed[0] as LeasedDelivery, 'e-3'),
      {
        ...deliveredAs(mixed[1] as LeasedDelivery, 'e-4'),
        attempt: 2,
        startedAt: '2026-12-07T10:00:05.000Z',
      },
    ]);
    const kept = await db()
      .db.selectFrom('outbox_deliveries')
      .select(['first_try_started_at', 'first_try_duration_ms'])
      .where('subscriber', '=', subscriber)
      .orderBy('id')
      .execute();
    expect(kept.map((r) => [r.first_try_started_at, r.first_try_duration_ms])).toEqual([
      [startedAt, 1],
      [startedAt, 1],
      [startedAt, 1],
      [null, null],
    ]);
    const log = await db()
      .db.selectFrom('sync_attempt_log')
      .select(['delivery_id', 'attempt', 'id'])
      .orderBy('delivery_id')
      .execute();
    expect(log.map((r) => [Number(r.attempt), r.id === null])).toEqual([
      [1, true],
      [1, true],
      [1, true],
      [2, false],
    ]);
  });
});

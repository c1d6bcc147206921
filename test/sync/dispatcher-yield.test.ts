import { afterEach, expect, it } from 'vitest';
import { noopConnector } from '../../src/connectors/noop/index.js';
import { inTransaction, setSubscriptions } from '../../src/platform/outbox/index.js';
import { buildOutboundFlow, Dispatcher } from '../../src/sync/engine/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { customerMapping, deliveryCounts, quietLogger, waitFor } from './sync-fixture.js';

const EVENTS = 3000;

describeEachEngine('dispatcher and the event loop', (db) => {
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    await db().db.deleteFrom('outbox_subscriptions').execute();
  });

  // With a connector that answers without I/O, every await of a drain resolves as a promise callback;
  // unless the dispatcher yields, timers and HTTP requests wait until the whole backlog is gone.
  it('lets timers run while a backlog drains through a connector without I/O', async () => {
    const session = await noopConnector.connect({ latencyMs: 0 });
    let sent = 0;
    const write = session.writeBatch.bind(session);
    session.writeBatch = (entity, ops, options) => {
      sent += ops.length;
      return write(entity, ops, options);
    };
    const flow = buildOutboundFlow({
      name: `yield-${Math.random().toString(36).slice(2, 8)}`,
      eventTypes: ['customer.*'],
      connectorName: 'noop',
      session,
      entity: 'customer',
      operation: 'upsert',
      mapping: customerMapping,
      batchSize: 100,
      concurrency: 1,
    });
    await setSubscriptions(db().db, { [flow.subscriber]: flow.eventTypes });
    await inTransaction(db().db, async (uow) => {
      for (let i = 0; i < EVENTS; i += 1)
        await uow.emit({
          type: 'customer.updated',
          subject: `customer/yield-${i}`,
          data: { customer: { name: `Yield ${i}`, code: `Y${i}`, version: 1 } },
        });
    });
    dispatcher = new Dispatcher({ db: db().db, flows: [flow], logger: quietLogger(), pollMs: 5 });

    let sentWhenTimerRan = -1;
    const timerRan = new Promise<void>((resolve) =>
      setTimeout(() => {
        sentWhenTimerRan = sent;
        resolve();
      }, 0),
    );
    dispatcher.start();
    await timerRan;
    await waitFor(
      async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === EVENTS,
      30_000,
      'backlog delivered',
    );
    expect(sent).toBe(EVENTS);
    // The timer was due before the first batch; it ran while most of the backlog was still waiting.
    expect(sentWhenTimerRan).toBeGreaterThanOrEqual(0);
    expect(sentWhenTimerRan).toBeLessThan(EVENTS / 2);
  });
});

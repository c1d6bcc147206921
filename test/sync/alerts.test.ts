import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/modules/customers/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logging/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import type { AlertRule, StoredAlertState } from '../../src/sync/alerts/index.js';
import {
  AlertEvaluator,
  createAlertNotifier,
  defaultAlertRules,
  evaluateAlerts,
  listAlertStates,
  nextAlertState,
  resolveAlertRules,
} from '../../src/sync/alerts/index.js';
import { replayDeadLetters } from '../../src/sync/delivery/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { customerSyncFixture, deliveryCounts, quietLogger, waitFor } from './sync-fixture.js';

function captureLogger() {
  const lines: { level: number; msg: string; alert?: { kind?: string; rule?: string } }[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write: (chunk: Buffer, _e, done) => {
        lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
        done();
      },
    }),
  );
  return { logger, lines };
}

/** A webhook endpoint on loopback that records what it receives and answers 200. */
async function startReceiver() {
  const bodies: { headers: Record<string, string>; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const only = (config: Record<string, unknown>): AlertRule[] =>
  resolveAlertRules({
    dead_letters: { enabled: false },
    lag: { enabled: false },
    error_rate: { enabled: false },
    ...config,
  });

describe('alert state machine', () => {
  const t = (s: number) => new Date(Date.UTC(2030, 0, 1) + s * 1000).toISOString();
  const step = (
    prev: StoredAlertState,
    breached: boolean,
    s: number,
    forSeconds = 600,
    reminderSeconds = 3600,
  ) => nextAlertState(prev, { breached, now: t(s), forSeconds, reminderSeconds });

  it('goes ok → pending → firing after the for duration → resolved, announcing only transitions and reminders', () => {
    const ok: StoredAlertState = { state: 'ok', since: null, lastNotifiedAt: null };
    const pending = step(ok, true, 0);
    expect(pending).toEqual({ state: 'pending', since: t(0), lastNotifiedAt: null, notify: null });
    expect(step(pending, true, 599)).toMatchObject({ state: 'pending', since: t(0), notify: null });
    const firing = step(pending, true, 600);
    expect(firing).toEqual({ state: 'firing', since: t(600), lastNotifiedAt: t(600), notify: 'firing' });
    expect(step(firing, true, 600 + 3599)).toMatchObject({ state: 'firing', notify: null });
    expect(step(firing, true, 600 + 3600)).toEqual({
      state: 'firing',
      since: t(600),
      lastNotifiedAt: t(4200),
      notify: 'reminder',
    });
    expect(step(firing, true, 9999, 600, 0)).toMatchObject({ notify: null });
    const resolved = step(firing, false, 700);
    expect(resolved).toEqual({
      state: 'resolved',
      since: t(700),
      lastNotifiedAt: t(700),
      notify: 'resolved',
    });
    expect(step(resolved, false, 800)).toMatchObject({ state: 'resolved', since: t(700), notify: null });
    expect(step(resolved, true, 900)).toMatchObject({ state: 'pending', since: t(900), notify: null });
  });

  it('drops a pending alert silently when the condition clears, and fires at once with for = 0', () => {
    const pending: StoredAlertState = { state: 'pending', since: t(0), lastNotifiedAt: null };
    expect(step(pending, false, 100)).toEqual({
      state: 'ok',
      since: t(100),
      lastNotifiedAt: null,
      notify: null,
    });
    expect(step({ state: 'ok', since: null, lastNotifiedAt: null }, true, 5, 0)).toMatchObject({
      state: 'firing',
      notify: 'firing',
    });
  });

  it('has the documented defaults and validates overrides with their paths', () => {
    expect(defaultAlertRules.map((r) => [r.name, r.threshold, r.forSeconds])).toEqual([
      ['dead_letters', 0, 600],
      ['lag', 300, 0],
      ['error_rate', 0.05, 0],
    ]);
    expect(
      resolveAlertRules({ lag: { threshold: 60, forSeconds: 120 } }).find((r) => r.name === 'lag'),
    ).toMatchObject({ threshold: 60, forSeconds: 120 });
    const caught = (config: unknown) => {
      try {
        resolveAlertRules(config);
      } catch (error) {
        if (error instanceof AppError) return error.issues.map((i) => i.path.join('.'));
      }
      throw new Error('expected a validation error');
    };
    expect(caught({ error_rate: { threshold: 5 } })).toEqual(['error_rate.threshold']);
    expect(caught({ lag: { forSeconds: -1 } })).toEqual(['lag.forSeconds']);
    expect(caught({ queue_depth: {} })).toEqual(['']);
    expect(caught({ lag: { treshold: 1 } })).toEqual(['lag']);
  });
});

describeEachEngine(
  'alerts: dead letters on a fake clock, delivered to the log and a signed webhook',
  (db) => {
    it('fires after 10 min, reminds, resolves after replay; each announced once', async () => {
      const fixture = await customerSyncFixture(db().db, {
        retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, jitter: 'none' },
      });
      const receiver = await startReceiver();
      try {
        const { erp, flow, dispatcher } = fixture;
        erp.faults.rejectOps(
          (_e, op) => (op.data as { name?: string } | undefined)?.name === 'Poison',
          'refused',
        );
        await createCustomer(db().db, { name: 'Poison' });
        await createCustomer(db().db, { name: 'Healthy' });
        dispatcher.start();
        await waitFor(
          async () => (await deliveryCounts(db().db, flow.subscriber)).dead === 1,
          20_000,
          'dead letter',
        );
        await dispatcher.stop();

        const { logger, lines } = captureLogger();
        const secret = `whsec_${randomBytes(24).toString('base64')}`;
        const notifier = createAlertNotifier({
          logger,
          webhook: { url: receiver.url, secret, allow: ['127.0.0.1'], baseDelayMs: 5 },
        });
        const rules = only({ dead_letters: { enabled: true, reminderSeconds: 1800 } });
        const t0 = new Date();
        const evaluate = async (seconds: number) => {
          const [result] = await evaluateAlerts(db().db, rules, { now: at(t0, seconds), notifier });
          return result;
        };

        expect(await evaluate(0)).toMatchObject({
          rule: 'dead_letters',
          previous: 'ok',
          state: 'pending',
          value: 1,
          notified: null,
        });
        expect(await evaluate(300)).toMatchObject({ state: 'pending', notified: null });
        const firing = await evaluate(600);
        expect(firing).toMatchObject({
          state: 'firing',
          notified: 'firing',
          delivery: { webhook: { ok: true, attempts: 1 } },
        });
        expect(firing?.message).toContain(`${flow.name}: 1`);
        expect(await evaluate(900)).toMatchObject({ state: 'firing', notified: null });
        expect(await evaluate(600 + 1800)).toMatchObject({ state: 'firing', notified: 'reminder' });
        expect(await evaluate(600 + 1900)).toMatchObject({ state: 'firing', notified: null });

        erp.faults.clear();
        expect(await replayDeadLetters(db().db, { flow: flow.name })).toBe(1);
        dispatcher.start();
        await waitFor(
          async () => (await deliveryCounts(db().db, flow.subscriber)).delivered === 2,
          20_000,
          'replayed',
        );
        await dispatcher.stop();
        expect(await evaluate(2600)).toMatchObject({ state: 'resolved', value: 0, notified: 'resolved' });
        expect(await evaluate(2700)).toMatchObject({ state: 'resolved', notified: null });

        const received = receiver.bodies.map(
          (b) =>
            new Webhook(secret).verify(b.body, b.headers) as {
              type: string;
              data: { rule: string; value: number; since: string };
            },
        );
        expect(received.map((r) => [r.type, r.data.rule, r.data.value])).toEqual([
          ['sync.alert.firing', 'dead_letters', 1],
          ['sync.alert.reminder', 'dead_letters', 1],
          ['sync.alert.resolved', 'dead_letters', 0],
        ]);
        expect(received[0]?.data.since).toBe(at(t0, 600).toISOString());
        expect(lines.filter((l) => l.alert).map((l) => [l.level, l.alert?.kind])).toEqual([
          [40, 'firing'],
          [40, 'reminder'],
          [30, 'resolved'],
        ]);
        expect(await listAlertStates(db().db)).toEqual([
          expect.objectContaining({
            rule: 'dead_letters',
            state: 'resolved',
            lastValue: 0,
            since: at(t0, 2600).toISOString(),
          }),
        ]);
      } finally {
        await receiver.close();
        await fixture.close();
        await db().db.deleteFrom('outbox_subscriptions').execute();
      }
    });
  },
);

async function oldestPending(db: Kysely<Database>): Promise<Date> {
  const row = await db
    .selectFrom('outbox_deliveries')
    .select((eb) => eb.fn.min('event_time').as('t'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return new Date(String(row.t));
}

describeEachEngine('alerts: lag and error rate', (db) => {
  it('fires on lag over 5 min at once and resolves when the backlog drains', async () => {
    const fixture = await customerSyncFixture(db().db);
    try {
      for (let i = 0; i < 3; i += 1) await createCustomer(db().db, { name: `Lagging ${i}` });
      const oldest = await oldestPending(db().db);
      const { logger, lines } = captureLogger();
      const notifier = createAlertNotifier({ logger });
      const rules = only({ lag: { enabled: true } });
      expect((await evaluateAlerts(db().db, rules, { now: at(oldest, 300), notifier }))[0]).toMatchObject({
        state: 'ok',
        value: 300,
        breached: false,
      });
      const firing = (await evaluateAlerts(db().db, rules, { now: at(oldest, 301), notifier }))[0];
      expect(firing).toMatchObject({ state: 'firing', value: 301, notified: 'firing' });
      expect(firing?.message).toContain(fixture.flow.name);
      fixture.dispatcher.start();
      await waitFor(
        async () => (await deliveryCounts(db().db, fixture.flow.subscriber)).delivered === 3,
        20_000,
        'drained',
      );
      expect((await evaluateAlerts(db().db, rules, { now: at(oldest, 400), notifier }))[0]).toMatchObject({
        state: 'resolved',
        value: 0,
        notified: 'resolved',
      });
      expect(lines.map((l) => l.alert?.kind)).toEqual(['firing', 'resolved']);
    } finally {
      await fixture.close();
      await db().db.deleteFrom('outbox_subscriptions').execute();
      await db().db.deleteFrom('sync_alerts').execute();
    }
  });

  it('fires on an error rate over 5 % with enough attempts in the window, and resolves once the window is clean', async () => {
    const fixture = await customerSyncFixture(db().db, {
      retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 10, jitter: 'none' },
    });
    try {
      fixture.erp.faults.failNext(2, { kind: 'server_error', status: 503 });
      for (let i = 0; i < 8; i += 1) await createCustomer(db().db, { name: `Flaky ${i}` });
      fixture.dispatcher.start();
      await waitFor(
        async () => (await deliveryCounts(db().db, fixture.flow.subscriber)).delivered === 8,
        20_000,
        'delivered',
      );
      await fixture.dispatcher.stop();
      const now = new Date();
      const strict = only({ error_rate: { enabled: true, minAttempts: 5 } });
      const [firing] = await evaluateAlerts(db().db, strict, { now });
      expect(firing).toMatchObject({ rule: 'error_rate', state: 'firing', breached: true });
      expect(firing?.value).toBeGreaterThan(0.05);
      expect(firing?.message).toMatch(/^\d+ of \d+ attempts failed in 300 s/);
      // Too few attempts for a rate to mean anything: not breached, whatever the ratio.
      await db().db.deleteFrom('sync_alerts').execute();
      const [quietRule] = await evaluateAlerts(
        db().db,
        only({ error_rate: { enabled: true, minAttempts: 1000 } }),
        { now },
      );
      expect(quietRule).toMatchObject({ state: 'ok', breached: false });
      expect(quietRule?.message).toContain('needs 1000 attempts');
      await evaluateAlerts(db().db, strict, { now });
      expect((await evaluateAlerts(db().db, strict, { now: at(now, 600) }))[0]).toMatchObject({
        state: 'resolved',
        value: 0,
        notified: 'resolved',
      });
    } finally {
      await fixture.close();
      await db().db.deleteFrom('outbox_subscriptions').execute();
      await db().db.deleteFrom('sync_alerts').execute();
    }
  });

  it('announces a transition once when two hubs evaluate at the same moment', async () => {
    const fixture = await customerSyncFixture(db().db);
    try {
      await createCustomer(db().db, { name: 'Waiting' });
      const now = at(await oldestPending(db().db), 3600);
      const { logger, lines } = captureLogger();
      const notifier = createAlertNotifier({ logger });
      const rules = only({ lag: { enabled: true } });
      const results = await Promise.all(
        [1, 2, 3].map(() => evaluateAlerts(db().db, rules, { now, notifier })),
      );
      expect(results.flat().map((r) => r.state)).toEqual(['firing', 'firing', 'firing']);
      expect(results.flat().filter((r) => r.notified === 'firing')).toHaveLength(1);
      expect(lines.filter((l) => l.alert?.kind === 'firing')).toHaveLength(1);
    } finally {
      await fixture.close();
      await db().db.deleteFrom('outbox_subscriptions').execute();
      await db().db.deleteFrom('sync_alerts').execute();
    }
  });
});

describeEachEngine('alerts: evaluator', (db) => {
  it('runs on a timer for the hub and stops', async () => {
    const evaluator = new AlertEvaluator({ db: db().db, logger: quietLogger() });
    evaluator.start(20);
    await waitFor(async () => (await listAlertStates(db().db)).length === 3, 10_000, 'rules evaluated');
    await evaluator.stop();
    expect(evaluator.active).toBe(false);
    expect((await listAlertStates(db().db)).map((a) => [a.rule, a.state])).toEqual([
      ['dead_letters', 'ok'],
      ['error_rate', 'ok'],
      ['lag', 'ok'],
    ]);
  });
});

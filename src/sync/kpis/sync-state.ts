import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { backlogBySubscriber } from '../delivery/index.js';
import { FLOW_SUBSCRIBER_PREFIX } from './kpi-names.js';
import { percentile } from './percentile.js';

export interface SyncFigures {
  /** Pending + in flight. */
  backlog: number;
  /** Age of the oldest undelivered event at `at`; 0 without backlog. */
  oldestPendingSeconds: number;
  deadLetters: number;
  /** Attempts started in the window, and those that failed (outcome retry or dead). */
  attempts: number;
  failures: number;
  /** failures / attempts; null without attempts. */
  errorRate: number | null;
  /** Deliveries acknowledged in the window that the latency figures are computed from. */
  delivered: number;
  latencyP50Seconds: number | null;
  latencyP95Seconds: number | null;
}

export interface FlowSyncState extends SyncFigures {
  /** Outbox subscriber, `flow:<name>`. */
  subscriber: string;
  flow: string;
}

export interface SyncState {
  at: string;
  windowSeconds: number;
  flows: FlowSyncState[];
  total: SyncFigures;
  /** More deliveries than `latencySampleLimit` fell in the window; latency is computed from the newest. */
  latencyTruncated: boolean;
}

export interface SyncStateOptions {
  now?: Date;
  /** Window of the error rate and latency figures (default 300 s). */
  windowSeconds?: number;
  /** Most delivered rows read for latency percentiles (default 10,000; 0 skips latency). */
  latencySampleLimit?: number;
}

const emptyFigures = (): SyncFigures => ({
  backlog: 0,
  oldestPendingSeconds: 0,
  deadLetters: 0,
  attempts: 0,
  failures: 0,
  errorRate: null,
  delivered: 0,
  latencyP50Seconds: null,
  latencyP95Seconds: null,
});

function withLatency(figures: SyncFigures, latencies: number[]): void {
  latencies.sort((a, b) => a - b);
  figures.delivered = latencies.length;
  figures.latencyP50Seconds = percentile(latencies, 0.5);
  figures.latencyP95Seconds = percentile(latencies, 0.95);
}

/**
 * The sync engine's health figures per outbound flow and in total, from storage alone (so every hub
 * process sees the same): backlog, oldest pending age, dead letters, error rate and delivery latency
 * percentiles over the last window. KPI sampling, alert rules and the Prometheus gauges all read this.
 */
export async function computeSyncState(
  db: Kysely<Database>,
  options: SyncStateOptions = {},
): Promise<SyncState> {
  const now = options.now ?? new Date();
  const windowSeconds = options.windowSeconds ?? 300;
  const limit = options.latencySampleLimit ?? 10_000;
  const at = now.toISOString();
  const from = new Date(now.getTime() - windowSeconds * 1000).toISOString();

  const byFlow = new Map<string, FlowSyncState>();
  const flowState = (subscriber: string): FlowSyncState => {
    let state = byFlow.get(subscriber);
    if (!state) {
      state = { subscriber, flow: subscriber.slice(FLOW_SUBSCRIBER_PREFIX.length), ...emptyFigures() };
      byFlow.set(subscriber, state);
    }
    return state;
  };

  const subscribed = await db
    .selectFrom('outbox_subscriptions')
    .select('subscriber')
    .distinct()
    .where('subscriber', 'like', `${FLOW_SUBSCRIBER_PREFIX}%`)
    .execute();
  for (const s of subscribed) flowState(s.subscriber);

  for (const b of await backlogBySubscriber(db)) {
    if (!b.subscriber.startsWith(FLOW_SUBSCRIBER_PREFIX)) continue;
    const state = flowState(b.subscriber);
    state.backlog = b.pending + b.inFlight;
    state.deadLetters = b.dead;
    if (b.oldestPendingAt !== null) {
      state.oldestPendingSeconds = Math.max(0, (now.getTime() - Date.parse(b.oldestPendingAt)) / 1000);
    }
  }

  const attempts = await db
    .selectFrom('sync_attempts')
    .select([
      'flow',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when outcome = 'delivered' then 0 else 1 end)`.as('failed'),
    ])
    .where('started_at', '>', from)
    .where('started_at', '<=', at)
    .groupBy('flow')
    .execute();
  for (const a of attempts) {
    const state = flowState(`${FLOW_SUBSCRIBER_PREFIX}${a.flow}`);
    state.attempts = Number(a.n);
    state.failures = Number(a.failed);
  }
  // First-try successes keep their attempt on the delivery row (migration 0025), not in sync_attempts.
  // Acknowledged after they started, so the delivered-at index bounds the read to the window.
  const firstTries = await sql<{ subscriber: string; n: number }>`
    select subscriber, count(*) as n
      from outbox_deliveries
     where status = 'delivered' and delivered_at > ${from}
       and first_try_started_at > ${from} and first_try_started_at <= ${at}
     group by subscriber`.execute(db);
  for (const f of firstTries.rows) flowState(f.subscriber).attempts += Number(f.n);
  for (const state of byFlow.values())
    if (state.attempts > 0) state.errorRate = state.failures / state.attempts;

  // Newest first under a LIMIT, so a burst cannot make one sample read the whole table.
  const delivered =
    limit <= 0
      ? []
      : await db
          .selectFrom('outbox_deliveries')
          .select(['subscriber', 'event_time', 'delivered_at'])
          .where('status', '=', 'delivered')
          .where('delivered_at', '>', from)
          .where('delivered_at', '<=', at)
          .where('subscriber', 'like', `${FLOW_SUBSCRIBER_PREFIX}%`)
          .orderBy('delivered_at', 'desc')
          .limit(limit + 1)
          .execute();
  const latencyTruncated = limit > 0 && delivered.length > limit;
  const all: number[] = [];
  const perFlow = new Map<string, number[]>();
  for (const row of delivered.slice(0, limit)) {
    if (row.delivered_at === null) continue;
    const seconds = Math.max(0, (Date.parse(row.delivered_at) - Date.parse(row.event_time)) / 1000);
    all.push(seconds);
    const values = perFlow.get(row.subscriber);
    if (values) values.push(seconds);
    else perFlow.set(row.subscriber, [seconds]);
  }
  for (const [subscriber, values] of perFlow) withLatency(flowState(subscriber), values);

  const flows = [...byFlow.values()].sort((a, b) => (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0));
  const total = emptyFigures();
  for (const f of flows) {
    total.backlog += f.backlog;
    total.oldestPendingSeconds = Math.max(total.oldestPendingSeconds, f.oldestPendingSeconds);
    total.deadLetters += f.deadLetters;
    total.attempts += f.attempts;
    total.failures += f.failures;
  }
  total.errorRate = total.attempts === 0 ? null : total.failures / total.attempts;
  withLatency(total, all);
  return { at, windowSeconds, flows, total, latencyTruncated };
}

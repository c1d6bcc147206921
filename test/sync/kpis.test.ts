import type { Kysely } from 'kysely';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { createCustomer } from '../../src/modules/customers/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { createSyncMetrics } from '../../src/sync/engine/index.js';
import type { KpiSample } from '../../src/sync/kpis/index.js';
import {
  KpiSampler,
  kpiSeries,
  listKpiScopes,
  pruneKpiSamples,
  refreshSyncGauges,
  sampleKpis,
  storeKpiSamples,
} from '../../src/sync/kpis/index.js';
import { AppError } from '../../src/shared/errors/index.js';
import { describeEachEngine } from '../support/test-database.js';
import { customerSyncFixture, deliveryCounts, quietLogger, waitFor } from './sync-fixture.js';

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const valueOf = (samples: KpiSample[], name: string, scope: string) =>
  samples.find((s) => s.name === name && s.scope === scope)?.value;

/** Nearest-rank percentile, written out independently of the code under test. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1] as number;
}

async function sampleCount(db: Kysely<Database>, name: string, scope = 'all') {
  const row = await db
    .selectFrom('sync_kpi_samples')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('name', '=', name)
    .where('scope', '=', scope)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachEngine('KPI sampling from sync storage', (db) => {
  it('samples backlog, oldest pending age, dead letters, error rate and latency per flow and in total', async () => {
    const fixture = await customerSyncFixture(db().db, {
      retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 10, jitter: 'none' },
      batchSize: 5,
    });
    try {
      const { erp, flow, dispatcher } = fixture;
      erp.faults.failNext(2, { kind: 'server_error', status: 503 });
      erp.faults.rejectOps(
        (_entity, op) => (op.data as { name?: string } | undefined)?.name === 'Poison',
        'refused',
      );
      for (let i = 0; i < 10; i += 1) await createCustomer(db().db, { name: `Kpi ${i}` });
      await createCustomer(db().db, { name: 'Poison' });
      dispatcher.start();
      await waitFor(
        async () => {
          const c = await deliveryCounts(db().db, flow.subscriber);
          return c.delivered === 10 && c.dead === 1;
        },
        20_000,
        'delivered and dead-lettered',
      );
      await dispatcher.stop();
      for (let i = 0; i < 3; i += 1) await createCustomer(db().db, { name: `Waiting ${i}` });

      const now = new Date();
      const samples = await sampleKpis(db().db, { now });
      const scope = flow.subscriber;
      expect(valueOf(samples, 'backlog', scope)).toBe(3);
      expect(valueOf(samples, 'dead_letters', scope)).toBe(1);
      expect(valueOf(samples, 'backlog', 'all')).toBe(3);
      expect(valueOf(samples, 'dead_letters', 'all')).toBe(1);

      const from = new Date(now.getTime() - 300_000).toISOString();
      const attempts = await db()
        .db.selectFrom('sync_attempt_log')
        .selectAll()
        .where('flow', '=', flow.name)
        .where('started_at', '>', from)
        .execute();
      const failed = attempts.filter((a) => a.outcome !== 'delivered').length;
      expect(failed).toBeGreaterThanOrEqual(3);
      expect(valueOf(samples, 'attempts', scope)).toBe(attempts.length);
      expect(valueOf(samples, 'error_rate', scope)).toBeCloseTo(failed / attempts.length, 12);
      expect(valueOf(samples, 'error_rate', 'all')).toBeCloseTo(failed / attempts.length, 12);

      const delivered = await db()
        .db.selectFrom('outbox_deliveries')
        .select(['event_time', 'delivered_at'])
        .where('subscriber', '=', scope)
        .where('status', '=', 'delivered')
        .execute();
      const latencies = delivered.map(
        (d) => (Date.parse(d.delivered_at ?? '') - Date.parse(d.event_time)) / 1000,
      );
      expect(latencies).toHaveLength(10);
      expect(valueOf(samples, 'delivery_latency_p50_seconds', scope)).toBeCloseTo(
        nearestRank(latencies, 0.5),
        9,
      );
      expect(valueOf(samples, 'delivery_latency_p95_seconds', scope)).toBeCloseTo(
        nearestRank(latencies, 0.95),
        9,
      );

      const stored = await db()
        .db.selectFrom('sync_kpi_samples')
        .selectAll()
        .where('at', '=', now.toISOString())
        .execute();
      expect(stored).toHaveLength(samples.length);

      // Oldest pending age on a fake clock: exactly two minutes after the oldest waiting event.
      const oldest = await db()
        .db.selectFrom('outbox_deliveries')
        .select((eb) => eb.fn.min('event_time').as('t'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const later = new Date(Date.parse(String(oldest.t)) + 120_000);
      const agedSamples = await sampleKpis(db().db, { now: later });
      expect(valueOf(agedSamples, 'oldest_pending_seconds', scope)).toBe(120);
      // Ten minutes on, nothing was attempted or delivered in the window: no rate, no latency (not 0).
      const quiet = await sampleKpis(db().db, { now: new Date(now.getTime() + 600_000) });
      expect(valueOf(quiet, 'error_rate', scope)).toBeUndefined();
      expect(valueOf(quiet, 'delivery_latency_p50_seconds', scope)).toBeUndefined();
      expect(valueOf(quiet, 'attempts', scope)).toBe(0);

      // Prometheus gauges from storage; a flow that no longer exists disappears.
      const registry = new Registry();
      const metrics = createSyncMetrics(registry);
      metrics.backlog.set({ flow: 'gone' }, 9);
      await refreshSyncGauges(db().db, metrics, { now: later });
      const gauge = async (name: string) =>
        (await registry.getSingleMetric(name)?.get())?.values.map((v) => [v.labels.flow, v.value]);
      expect(await gauge('fieldsync_sync_backlog')).toEqual([[flow.name, 3]]);
      expect(await gauge('fieldsync_sync_dead_letters')).toEqual([[flow.name, 1]]);
      expect(await gauge('fieldsync_sync_oldest_pending_seconds')).toEqual([[flow.name, 120]]);
    } finally {
      await fixture.close();
      await db().db.deleteFrom('outbox_subscriptions').execute();
    }
  });
});

describeEachEngine('KPI series and retention', (db) => {
  const t0 = Date.UTC(2030, 0, 1, 0, 0, 0);
  const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

  it('buckets samples into chart points, one per bucket, gaps as null', async () => {
    await storeKpiSamples(db().db, [
      { at: at(0), name: 'series_test', scope: 'flow:x', value: 1 },
      { at: at(30), name: 'series_test', scope: 'flow:x', value: 3 },
      { at: at(70), name: 'series_test', scope: 'flow:x', value: 5 },
      { at: at(200), name: 'series_test', scope: 'flow:x', value: 7 },
      { at: at(10), name: 'series_test', scope: 'flow:y', value: 100 },
      { at: at(10), name: 'other_test', scope: 'flow:x', value: 100 },
      { at: at(500), name: 'series_test', scope: 'flow:x', value: 100 },
      { at: at(40), name: 'series_test', scope: 'flow:x', value: Number.NaN },
    ]);
    const series = await kpiSeries(db().db, {
      name: 'series_test',
      scope: 'flow:x',
      from: at(15),
      to: at(240),
      bucketSeconds: 60,
    });
    expect(series.from).toBe(at(0));
    expect(series.points).toEqual([
      { at: at(0), value: 2, min: 1, max: 3, samples: 2 },
      { at: at(60), value: 5, min: 5, max: 5, samples: 1 },
      { at: at(120), value: null, min: null, max: null, samples: 0 },
      { at: at(180), value: 7, min: 7, max: 7, samples: 1 },
    ]);
    const max = await kpiSeries(db().db, {
      name: 'series_test',
      scope: 'flow:x',
      from: new Date(t0),
      to: new Date(t0 + 240_000),
      bucketSeconds: 120,
      aggregate: 'max',
    });
    expect(max.points.map((p) => p.value)).toEqual([5, 7]);
    const last = await kpiSeries(db().db, {
      name: 'series_test',
      scope: 'flow:x',
      from: at(0),
      to: at(120),
      bucketSeconds: 120,
      aggregate: 'last',
    });
    expect(last.points.map((p) => p.value)).toEqual([5]);
    expect(await listKpiScopes(db().db, 'series_test')).toEqual(['flow:x', 'flow:y']);
  });

  it('reads long ranges in pages: 6,000 samples land in their buckets', async () => {
    const base = Date.UTC(2031, 0, 1);
    const samples = Array.from({ length: 6000 }, (_, i) => ({
      at: new Date(base + i * 1000).toISOString(),
      name: 'paged_test',
      scope: 'all',
      value: i % 2,
    }));
    await storeKpiSamples(db().db, samples);
    const series = await kpiSeries(db().db, {
      name: 'paged_test',
      from: new Date(base),
      to: new Date(base + 6_000_000),
      bucketSeconds: 600,
    });
    expect(series.points.slice(0, 10).map((p) => p.samples)).toEqual(Array(10).fill(600));
    expect(series.points.slice(0, 10).every((p) => p.value === 0.5)).toBe(true);
    expect(series.points.reduce((n, p) => n + p.samples, 0)).toBe(6000);
  });

  it('rejects bad series requests with the offending parameter named', async () => {
    const base = { name: 'series_test', from: at(0), to: at(60) };
    expect(
      (await caught(kpiSeries(db().db, { ...base, bucketSeconds: 0 }))).issues.map((i) => i.path),
    ).toEqual([['bucketSeconds']]);
    expect((await caught(kpiSeries(db().db, { ...base, bucketSeconds: 1.5 }))).code).toBe('validation');
    expect(
      (await caught(kpiSeries(db().db, { ...base, to: at(0), bucketSeconds: 60 }))).issues.map((i) => i.path),
    ).toEqual([['to']]);
    expect(
      (await caught(kpiSeries(db().db, { ...base, from: 'yesterday', bucketSeconds: 60 }))).issues.map(
        (i) => i.path,
      ),
    ).toEqual([['from']]);
    const tooMany = await caught(kpiSeries(db().db, { ...base, to: at(2 * 86_400), bucketSeconds: 1 }));
    expect(tooMany.issues[0]?.message).toContain('at most 5000');
  });

  it('prunes samples older than the retention cut-off only', async () => {
    await storeKpiSamples(db().db, [
      { at: at(-86_400 * 40), name: 'prune_test', scope: 'all', value: 1 },
      { at: at(-86_400 * 31), name: 'prune_test', scope: 'all', value: 1 },
      { at: at(-86_400 * 29), name: 'prune_test', scope: 'all', value: 1 },
    ]);
    const before = await sampleCount(db().db, 'prune_test');
    const removed = await pruneKpiSamples(db().db, { before: at(-86_400 * 30) });
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(await sampleCount(db().db, 'prune_test')).toBe(before - 2);
  });
});

describeEachEngine('KPI sampler', (db) => {
  it('samples on a timer, prunes old samples, and stops', async () => {
    await storeKpiSamples(db().db, [
      { at: new Date(Date.now() - 40 * 86_400_000).toISOString(), name: 'backlog', scope: 'all', value: 5 },
    ]);
    const sampler = new KpiSampler({ db: db().db, logger: quietLogger(), retentionDays: 30 });
    sampler.start(20);
    await waitFor(async () => (await sampleCount(db().db, 'backlog')) >= 3, 10_000, 'three samples');
    await sampler.stop();
    expect(sampler.active).toBe(false);
    const old = await db()
      .db.selectFrom('sync_kpi_samples')
      .selectAll()
      .where('name', '=', 'backlog')
      .where('value', '=', 5)
      .execute();
    expect(old).toEqual([]);
    const stopped = await sampleCount(db().db, 'backlog');
    await new Promise((r) => setTimeout(r, 120));
    expect(await sampleCount(db().db, 'backlog')).toBe(stopped);
  });
});

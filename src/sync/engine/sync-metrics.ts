import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** Prometheus series of the sync engine; gauges of stored state are refreshed by `refreshGauges`. */
export interface SyncMetrics {
  delivered: Counter<'flow'>;
  attempts: Counter<'flow' | 'outcome' | 'error_class'>;
  latency: Histogram<'flow'>;
  backlog: Gauge<'flow'>;
  oldestPendingSeconds: Gauge<'flow'>;
  deadLetters: Gauge<'flow'>;
  circuitState: Gauge<'connector'>;
  pulled: Counter<'flow'>;
  pullErrors: Counter<'flow' | 'error_class'>;
  conflicts: Counter<'flow'>;
}

export function createSyncMetrics(registry: Registry): SyncMetrics {
  const registers = [registry];
  return {
    delivered: new Counter({
      name: 'fieldsync_sync_delivered_total',
      help: 'Events delivered to their target',
      labelNames: ['flow'],
      registers,
    }),
    attempts: new Counter({
      name: 'fieldsync_sync_attempts_total',
      help: 'Delivery attempts by outcome (delivered, retry, dead) and error class',
      labelNames: ['flow', 'outcome', 'error_class'],
      registers,
    }),
    latency: new Histogram({
      name: 'fieldsync_sync_delivery_latency_seconds',
      help: 'From event commit to acknowledged delivery',
      labelNames: ['flow'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    backlog: new Gauge({
      name: 'fieldsync_sync_backlog',
      help: 'Undelivered events (pending + in flight)',
      labelNames: ['flow'],
      registers,
    }),
    oldestPendingSeconds: new Gauge({
      name: 'fieldsync_sync_oldest_pending_seconds',
      help: 'Age of the oldest undelivered event',
      labelNames: ['flow'],
      registers,
    }),
    deadLetters: new Gauge({
      name: 'fieldsync_sync_dead_letters',
      help: 'Events in the dead-letter queue',
      labelNames: ['flow'],
      registers,
    }),
    circuitState: new Gauge({
      name: 'fieldsync_sync_circuit_state',
      help: 'Circuit breaker per connector: 0 closed, 1 half-open, 2 open',
      labelNames: ['connector'],
      registers,
    }),
    pulled: new Counter({
      name: 'fieldsync_sync_pulled_total',
      help: 'Records applied from incremental pulls',
      labelNames: ['flow'],
      registers,
    }),
    pullErrors: new Counter({
      name: 'fieldsync_sync_pull_errors_total',
      help: 'Pulled records set aside (mapping or domain rule failures), by error class',
      labelNames: ['flow', 'error_class'],
      registers,
    }),
    conflicts: new Counter({
      name: 'fieldsync_sync_conflicts_total',
      help: 'Conflicts detected',
      labelNames: ['flow'],
      registers,
    }),
  };
}

/** Names of stored KPI series; scopes are `all`, `flow:<name>` or `connector:<name>[/<entity>]`. */
export const KpiName = {
  backlog: 'backlog',
  oldestPendingSeconds: 'oldest_pending_seconds',
  deadLetters: 'dead_letters',
  errorRate: 'error_rate',
  attempts: 'attempts',
  latencyP50: 'delivery_latency_p50_seconds',
  latencyP95: 'delivery_latency_p95_seconds',
  inventoryAccuracy: 'inventory_accuracy',
  reconAccuracy: 'recon_accuracy',
} as const;
export type KpiName = (typeof KpiName)[keyof typeof KpiName];

export const ALL_SCOPE = 'all';
export const FLOW_SUBSCRIBER_PREFIX = 'flow:';

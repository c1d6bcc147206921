import type { RetryPolicy } from './retry-policy.js';

export interface BackoffOptions {
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  rng?: () => number;
  /** The vendor's Retry-After: the delay is never shorter. */
  retryAfterMs?: number;
}

/** The capped exponential ceiling for the retry after failed attempt `attempt` (1-based). */
export function backoffCeiling(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2 ** 1075 is Infinity, and min() with the cap keeps that harmless.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
}

/**
 * Delay before retrying after failed attempt `attempt` (docs/sync/delivery-and-retries.md):
 *   ceiling = min(maxDelayMs, baseDelayMs × 2^(attempt−1))
 *   full:  delay = rng × ceiling            (AWS "full jitter": spreads a herd the most)
 *   equal: delay = ceiling/2 + rng × ceiling/2
 *   none:  delay = ceiling
 *   result = max(floor(delay), retryAfterMs)
 */
export function computeBackoff(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  options: BackoffOptions = {},
): number {
  const ceiling = backoffCeiling(attempt, policy);
  const r = Math.min(Math.max((options.rng ?? Math.random)(), 0), 1);
  const delay =
    policy.jitter === 'full'
      ? r * ceiling
      : policy.jitter === 'equal'
        ? ceiling / 2 + (r * ceiling) / 2
        : ceiling;
  return Math.max(Math.floor(delay), Math.ceil(options.retryAfterMs ?? 0));
}

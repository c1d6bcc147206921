import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, computeBackoff } from './backoff.js';
import { retryPolicySchema } from './retry-policy.js';

const policy = retryPolicySchema.parse({ baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 'none' });

describe('computeBackoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => computeBackoff(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    expect(computeBackoff(5000, policy)).toBe(60_000);
    expect(backoffCeiling(0, policy)).toBe(1000);
  });

  it('full jitter spans [0, ceiling); equal jitter spans [ceiling/2, ceiling)', () => {
    expect(computeBackoff(3, { ...policy, jitter: 'full' }, { rng: () => 0 })).toBe(0);
    expect(computeBackoff(3, { ...policy, jitter: 'full' }, { rng: () => 0.5 })).toBe(2000);
    expect(computeBackoff(3, { ...policy, jitter: 'equal' }, { rng: () => 0 })).toBe(2000);
    expect(computeBackoff(3, { ...policy, jitter: 'equal' }, { rng: () => 0.999 })).toBe(3998);
  });

  it('is never below Retry-After, even above the cap', () => {
    expect(computeBackoff(1, policy, { retryAfterMs: 5000 })).toBe(5000);
    expect(computeBackoff(10, policy, { retryAfterMs: 120_000 })).toBe(120_000);
    expect(computeBackoff(10, policy, { retryAfterMs: 10 })).toBe(60_000);
  });

  it('stays within [max(retryAfter, lower bound), max(retryAfter, cap)] for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom('full', 'equal', 'none' as const),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
        (attempt, base, extra, jitter, r, retryAfterMs) => {
          const p = { baseDelayMs: base, maxDelayMs: base + extra, jitter };
          const ceiling = backoffCeiling(attempt, p);
          const delay = computeBackoff(attempt, p, { rng: () => r, retryAfterMs });
          const lower = jitter === 'none' ? ceiling : jitter === 'equal' ? Math.floor(ceiling / 2) : 0;
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.max(lower, retryAfterMs ?? 0));
          expect(delay).toBeLessThanOrEqual(Math.max(ceiling, retryAfterMs ?? 0));
          expect(ceiling).toBeLessThanOrEqual(p.maxDelayMs);
        },
      ),
    );
  });
});

describe('retryPolicySchema', () => {
  it('fills defaults and rejects inconsistent policies with the field named', () => {
    expect(retryPolicySchema.parse({})).toEqual({
      maxAttempts: 10,
      baseDelayMs: 1000,
      maxDelayMs: 300_000,
      jitter: 'full',
      authDelayMs: 60_000,
      conflictMaxAttempts: 3,
    });
    const bad = retryPolicySchema.safeParse({ baseDelayMs: 5000, maxDelayMs: 1000, jitter: 'some' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['jitter']);
    const order = retryPolicySchema.safeParse({ baseDelayMs: 5000, maxDelayMs: 1000 });
    expect(order.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['baseDelayMs', 'baseDelayMs must not exceed maxDelayMs'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connectors/sdk/index.js';
import { decideOnFailure } from './decide-on-failure.js';
import { retryPolicySchema } from './retry-policy.js';

const policy = retryPolicySchema.parse({
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
  jitter: 'none',
  authDelayMs: 60_000,
  conflictMaxAttempts: 2,
});
const err = (cls: ConstructorParameters<typeof ConnectorError>[0], retryAfterMs?: number) =>
  new ConnectorError(cls, `${cls} happened`, { retryAfterMs });

describe('decideOnFailure', () => {
  it('transient: retries with backoff, counted, until maxAttempts, then dead-letters with the reason', () => {
    expect(decideOnFailure(err('transient'), 1, policy)).toMatchObject({
      action: 'retry',
      delayMs: 100,
      countsAttempt: true,
      connector: { health: 'failure', trip: false },
    });
    expect(decideOnFailure(err('transient'), 3, policy)).toMatchObject({ action: 'retry', delayMs: 400 });
    expect(decideOnFailure(err('transient'), 4, policy)).toMatchObject({
      action: 'dead_letter',
      reason: 'gave up after 4 attempts: transient: transient happened',
    });
  });

  it('transient with Retry-After (503): waits at least that long and holds the connector', () => {
    expect(decideOnFailure(err('transient', 7000), 1, policy)).toMatchObject({
      action: 'retry',
      delayMs: 7000,
      connector: { health: 'failure', holdMs: 7000 },
    });
  });

  it('rate_limited: honours Retry-After, trips the breaker for that long, does not count the attempt', () => {
    const d = decideOnFailure(err('rate_limited', 30_000), 9, policy);
    expect(d).toMatchObject({
      action: 'retry',
      delayMs: 30_000,
      countsAttempt: false,
      connector: { health: 'failure', trip: true, holdMs: 30_000 },
    });
    // Without Retry-After the backoff is the hold.
    expect(decideOnFailure(err('rate_limited'), 2, policy)).toMatchObject({
      action: 'retry',
      delayMs: 200,
      connector: { holdMs: 200 },
    });
  });

  it('auth: trips the breaker for authDelayMs and keeps the record, uncounted', () => {
    expect(decideOnFailure(err('auth'), 50, policy)).toMatchObject({
      action: 'retry',
      delayMs: 60_000,
      countsAttempt: false,
      connector: { health: 'failure', trip: true, holdMs: 60_000 },
    });
  });

  it('validation and not_found dead-letter at once without blaming the connector; deleting the absent is success', () => {
    expect(decideOnFailure(err('validation'), 1, policy)).toEqual({
      action: 'dead_letter',
      errorClass: 'validation',
      message: 'validation happened',
      reason: 'validation: validation happened',
      connector: { health: 'ok' },
    });
    expect(decideOnFailure(err('not_found'), 1, policy)).toMatchObject({
      action: 'dead_letter',
      connector: { health: 'ok' },
    });
    expect(decideOnFailure(err('not_found'), 1, policy, { op: 'delete' })).toMatchObject({ action: 'ack' });
  });

  it('conflict: a few counted retries, then dead-letter', () => {
    expect(decideOnFailure(err('conflict'), 1, policy)).toMatchObject({
      action: 'retry',
      countsAttempt: true,
      connector: { health: 'ok' },
    });
    expect(decideOnFailure(err('conflict'), 2, policy)).toMatchObject({ action: 'dead_letter' });
  });

  it('cursor_invalid: asks for a cursor reset', () => {
    expect(decideOnFailure(err('cursor_invalid'), 1, policy)).toMatchObject({
      action: 'reset_cursor',
      delayMs: 0,
    });
  });

  it('anything that is not a ConnectorError is handled like transient and flagged unclassified', () => {
    expect(decideOnFailure(new TypeError('x is undefined'), 1, policy)).toMatchObject({
      action: 'retry',
      errorClass: 'unclassified',
      countsAttempt: true,
      connector: { health: 'failure', trip: false },
    });
    expect(decideOnFailure('boom', 4, policy)).toMatchObject({
      action: 'dead_letter',
      reason: 'gave up after 4 attempts: unclassified error: boom',
    });
  });
});

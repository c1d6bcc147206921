import { isConnectorError } from '../../connectors/sdk/index.js';
import type { ConnectorErrorClass, WriteOpKind } from '../../connectors/sdk/index.js';
import { computeBackoff } from './backoff.js';
import type { RetryPolicy } from './retry-policy.js';

/** What the breaker of the connector should learn from this failure. */
export type ConnectorSignal =
  | { health: 'ok' }
  /** `trip`: open now, whatever the counts; `holdMs`: no probe before this long. */
  | { health: 'failure'; trip: boolean; holdMs?: number };

interface DecisionBase {
  /** `unclassified`: not a ConnectorError, i.e. a connector bug; handled like transient and counted in metrics. */
  errorClass: ConnectorErrorClass | 'unclassified';
  message: string;
  connector: ConnectorSignal;
}

export type FailureDecision =
  | (DecisionBase & {
      action: 'retry';
      delayMs: number;
      /** False when the failure is not the record's fault (auth, rate limits): attempts stay as they were. */
      countsAttempt: boolean;
    })
  | (DecisionBase & { action: 'dead_letter'; reason: string })
  /** The pull's cursor is no longer valid: restart from null (or a checkpoint) and rely on dedupe. */
  | (DecisionBase & { action: 'reset_cursor'; delayMs: number })
  /** The failure means the desired state already holds (deleting what is gone): acknowledge it. */
  | (DecisionBase & { action: 'ack'; reason: string });

export interface DecideOptions {
  rng?: () => number;
  /** The write kind that failed, if any: a delete of a missing record is success. */
  op?: WriteOpKind;
}

const healthy: ConnectorSignal = { health: 'ok' };

/**
 * THE one place that turns a failure into retry, dead-letter, cursor reset or acknowledgement, from the
 * error class alone. `attempt` is the 1-based count of counted attempts including the one that failed.
 * The table is in docs/sync/delivery-and-retries.md.
 */
export function decideOnFailure(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  options: DecideOptions = {},
): FailureDecision {
  const rng = options.rng;
  if (!isConnectorError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    const base = {
      errorClass: 'unclassified' as const,
      message,
      connector: { health: 'failure', trip: false } as const,
    };
    return attempt >= policy.maxAttempts
      ? {
          ...base,
          action: 'dead_letter',
          reason: `gave up after ${attempt} attempts: unclassified error: ${message}`,
        }
      : { ...base, action: 'retry', delayMs: computeBackoff(attempt, policy, { rng }), countsAttempt: true };
  }

  const { errorClass, message, retryAfterMs } = error;
  const retryAfter = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : undefined;
  const gaveUp = (n: number): string => `gave up after ${n} attempts: ${errorClass}: ${message}`;

  switch (errorClass) {
    case 'transient': {
      const connector: ConnectorSignal =
        retryAfter === undefined
          ? { health: 'failure', trip: false }
          : { health: 'failure', trip: false, holdMs: retryAfter };
      if (attempt >= policy.maxAttempts)
        return { errorClass, message, connector, action: 'dead_letter', reason: gaveUp(attempt) };
      return {
        errorClass,
        message,
        connector,
        action: 'retry',
        delayMs: computeBackoff(attempt, policy, { rng, retryAfterMs: retryAfter }),
        countsAttempt: true,
      };
    }
    case 'rate_limited': {
      // The vendor's load is not the record's fault; the breaker holds every call until Retry-After.
      const holdMs = retryAfter ?? computeBackoff(attempt, policy, { rng });
      return {
        errorClass,
        message,
        connector: { health: 'failure', trip: true, holdMs },
        action: 'retry',
        delayMs: computeBackoff(attempt, policy, { rng, retryAfterMs: holdMs }),
        countsAttempt: false,
      };
    }
    case 'auth':
      // Dead-lettering every record because a password expired would flood the queue; wait for a fix.
      return {
        errorClass,
        message,
        connector: { health: 'failure', trip: true, holdMs: policy.authDelayMs },
        action: 'retry',
        delayMs: computeBackoff(attempt, policy, {
          rng,
          retryAfterMs: Math.max(policy.authDelayMs, retryAfter ?? 0),
        }),
        countsAttempt: false,
      };
    case 'conflict': {
      const limit = Math.min(policy.conflictMaxAttempts, policy.maxAttempts);
      if (attempt >= limit)
        return { errorClass, message, connector: healthy, action: 'dead_letter', reason: gaveUp(attempt) };
      return {
        errorClass,
        message,
        connector: healthy,
        action: 'retry',
        delayMs: computeBackoff(attempt, policy, { rng, retryAfterMs: retryAfter }),
        countsAttempt: true,
      };
    }
    case 'not_found':
      if (options.op === 'delete')
        return {
          errorClass,
          message,
          connector: healthy,
          action: 'ack',
          reason: 'already absent in the ERP',
        };
      return {
        errorClass,
        message,
        connector: healthy,
        action: 'dead_letter',
        reason: `not_found: ${message}`,
      };
    case 'validation':
      return {
        errorClass,
        message,
        connector: healthy,
        action: 'dead_letter',
        reason: `validation: ${message}`,
      };
    case 'cursor_invalid':
      return { errorClass, message, connector: healthy, action: 'reset_cursor', delayMs: 0 };
  }
}

export { backoffCeiling, computeBackoff } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { BreakerState, CircuitBreaker } from './circuit-breaker.js';
export type { Admission, BreakerSnapshot, CircuitBreakerOptions } from './circuit-breaker.js';
export { decideOnFailure } from './decide-on-failure.js';
export type { ConnectorSignal, DecideOptions, FailureDecision } from './decide-on-failure.js';
export { JitterMode, defaultRetryPolicy, retryPolicySchema } from './retry-policy.js';
export type { RetryPolicy, RetryPolicyInput } from './retry-policy.js';

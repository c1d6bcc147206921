import type { ConnectorSignal } from './decide-on-failure.js';

export const BreakerState = { closed: 'closed', open: 'open', halfOpen: 'half_open' } as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  failureThreshold?: number;
  /** Optional second trigger: this failure ratio over the window, once enough calls were seen. */
  failureRate?: { threshold: number; windowMs: number; minCalls: number };
  /** While open, at most one probe per interval (default 1000 ms: "about one probe a second"). */
  probeIntervalMs?: number;
  /** Milliseconds since some epoch; injectable for tests. */
  clock?: () => number;
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

export type Admission = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
  nextProbeAt: number | null;
  /** Counters since creation, for metrics. */
  trips: number;
  probes: number;
  rejected: number;
}

/**
 * One per connector instance. Closed: every call goes. Open: calls are refused, except one probe per
 * `probeIntervalMs` (and none before a hold such as Retry-After ends). Any probe success closes it.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #rate: CircuitBreakerOptions['failureRate'];
  readonly #interval: number;
  readonly #clock: () => number;
  readonly #onStateChange: CircuitBreakerOptions['onStateChange'];
  #state: BreakerState = 'closed';
  #consecutive = 0;
  #openedAt: number | null = null;
  #nextProbeAt: number | null = null;
  #window: { at: number; ok: boolean }[] = [];
  #trips = 0;
  #probes = 0;
  #rejected = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#rate = options.failureRate;
    this.#interval = options.probeIntervalMs ?? 1000;
    this.#clock = options.clock ?? Date.now;
    this.#onStateChange = options.onStateChange;
    if (!(this.#threshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
    if (!(this.#interval > 0)) throw new RangeError('probeIntervalMs must be positive');
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Ask before each vendor call; a refused call should be rescheduled after `retryInMs`. */
  tryAcquire(): Admission {
    if (this.#state === 'closed') return { allowed: true, probe: false };
    const now = this.#clock();
    const next = this.#nextProbeAt ?? now;
    if (now < next) {
      this.#rejected += 1;
      return { allowed: false, retryInMs: next - now };
    }
    // Probes are spaced by time, not by answers, so a probe lost in a black hole cannot wedge the breaker.
    this.#nextProbeAt = now + this.#interval;
    this.#probes += 1;
    this.#transition('half_open');
    return { allowed: true, probe: true };
  }

  onSuccess(): void {
    this.#remember(true);
    // A straggler answering while open (no probe out yet) must not cut a Retry-After hold short.
    if (this.#state === 'open') return;
    this.#consecutive = 0;
    if (this.#state === 'half_open') {
      this.#openedAt = null;
      this.#nextProbeAt = null;
      this.#transition('closed');
    }
  }

  onFailure(options: { trip?: boolean; holdMs?: number } = {}): void {
    const now = this.#clock();
    this.#remember(false);
    this.#consecutive += 1;
    const holdUntil = options.holdMs === undefined ? now : now + options.holdMs;
    if (this.#state !== 'closed') {
      this.#nextProbeAt = Math.max(this.#nextProbeAt ?? now, holdUntil);
      this.#transition('open');
      return;
    }
    if (
      options.trip === true ||
      options.holdMs !== undefined ||
      this.#consecutive >= this.#threshold ||
      this.#rateExceeded(now)
    ) {
      this.#trips += 1;
      this.#openedAt = now;
      this.#nextProbeAt = Math.max(now + this.#interval, holdUntil);
      this.#transition('open');
    }
  }

  /** Feeds a `FailureDecision.connector` signal, so callers need not branch on it. */
  report(signal: ConnectorSignal): void {
    if (signal.health === 'ok') this.onSuccess();
    else this.onFailure({ trip: signal.trip, holdMs: signal.holdMs });
  }

  snapshot(): BreakerSnapshot {
    return {
      state: this.#state,
      consecutiveFailures: this.#consecutive,
      openedAt: this.#openedAt,
      nextProbeAt: this.#nextProbeAt,
      trips: this.#trips,
      probes: this.#probes,
      rejected: this.#rejected,
    };
  }

  #remember(ok: boolean): void {
    if (this.#rate === undefined) return;
    const now = this.#clock();
    this.#window.push({ at: now, ok });
    const from = now - this.#rate.windowMs;
    if ((this.#window[0]?.at ?? now) < from) this.#window = this.#window.filter((e) => e.at >= from);
  }

  #rateExceeded(now: number): boolean {
    const rate = this.#rate;
    if (rate === undefined) return false;
    const recent = this.#window.filter((e) => e.at >= now - rate.windowMs);
    if (recent.length < rate.minCalls) return false;
    return recent.filter((e) => !e.ok).length / recent.length >= rate.threshold;
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onStateChange?.(from, to);
  }
}

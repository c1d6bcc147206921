import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import type { BreakerState } from './circuit-breaker.js';

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures; a success in between resets the count', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ failureThreshold: 3, clock: clock.now });
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toEqual({ allowed: false, retryInMs: 1000 });
  });

  it('while open lets through about one probe per second, however often it is asked', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ failureThreshold: 1, probeIntervalMs: 1000, clock: clock.now });
    b.onFailure();
    let probes = 0;
    // 60 s of the ERP being down, asked every 10 ms; every probe fails.
    for (let i = 0; i < 6000; i += 1) {
      const admission = b.tryAcquire();
      if (admission.allowed) {
        expect(admission.probe).toBe(true);
        probes += 1;
        b.onFailure();
      }
      clock.advance(10);
    }
    // Opened at t=0, first probe at t=1 s, then one per second until t=59 s.
    expect(probes).toBe(59);
    expect(b.snapshot()).toMatchObject({ state: 'open', trips: 1, probes: 59, rejected: 6000 - 59 });
  });

  it('closes when a probe succeeds', () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const b = new CircuitBreaker({
      failureThreshold: 1,
      clock: clock.now,
      onStateChange: (from: BreakerState, to: BreakerState) => changes.push(`${from}->${to}`),
    });
    b.onFailure();
    clock.advance(1000);
    expect(b.tryAcquire()).toEqual({ allowed: true, probe: true });
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toEqual({ allowed: true, probe: false });
    expect(changes).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('a lost probe (no answer ever) does not wedge it: the next probe comes a second later', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ failureThreshold: 1, clock: clock.now });
    b.onFailure();
    clock.advance(1000);
    expect(b.tryAcquire().allowed).toBe(true);
    clock.advance(500);
    expect(b.tryAcquire().allowed).toBe(false);
    clock.advance(500);
    expect(b.tryAcquire()).toEqual({ allowed: true, probe: true });
  });

  it('honours a hold (Retry-After, auth pause): no probe before it ends, and stragglers do not close it', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ clock: clock.now });
    b.report({ health: 'failure', trip: true, holdMs: 30_000 });
    expect(b.state).toBe('open');
    b.onSuccess(); // an answer to a call made before the 429
    expect(b.state).toBe('open');
    clock.advance(29_999);
    expect(b.tryAcquire()).toEqual({ allowed: false, retryInMs: 1 });
    clock.advance(1);
    expect(b.tryAcquire()).toEqual({ allowed: true, probe: true });
    b.report({ health: 'ok' });
    expect(b.state).toBe('closed');
  });

  it('a failed probe with a new hold pushes the next probe out', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ failureThreshold: 1, clock: clock.now });
    b.onFailure();
    clock.advance(1000);
    expect(b.tryAcquire().allowed).toBe(true);
    b.onFailure({ holdMs: 10_000 });
    expect(b.tryAcquire()).toEqual({ allowed: false, retryInMs: 10_000 });
  });

  it('opens on a failure rate over the window once enough calls were seen', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({
      failureThreshold: 100,
      failureRate: { threshold: 0.5, windowMs: 10_000, minCalls: 10 },
      clock: clock.now,
    });
    for (let i = 0; i < 4; i += 1) {
      b.onSuccess();
      b.onFailure();
    }
    expect(b.state).toBe('closed'); // 8 calls: below minCalls
    b.onSuccess();
    b.onFailure();
    expect(b.state).toBe('open');
  });

  it('forgets failures older than the window', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({
      failureThreshold: 100,
      failureRate: { threshold: 0.5, windowMs: 1000, minCalls: 4 },
      clock: clock.now,
    });
    b.onFailure();
    b.onFailure();
    b.onFailure();
    clock.advance(2000);
    b.onSuccess();
    b.onSuccess();
    b.onSuccess();
    b.onFailure();
    expect(b.state).toBe('closed');
  });
});

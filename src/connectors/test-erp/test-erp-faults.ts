/** What a request looks like to a fault rule's `match`. */
export interface FaultRequest {
  method: string;
  path: string;
}

/** A whole-request failure the test ERP can answer with instead of doing the work. */
export type RequestFault =
  | { kind: 'server_error'; status?: 500 | 502 | 503 | 504 }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'unauthorized' }
  | { kind: 'conflict' }
  | { kind: 'cursor_invalid' };

interface FailRule {
  remaining: number;
  fault: RequestFault;
  match: (request: FaultRequest) => boolean;
}

export interface OpRejection {
  /** Which ops to refuse: a poison record stays poison until the rule is removed. */
  match: (entity: string, op: { op: string; id?: string; reference?: string; data?: unknown }) => boolean;
  message: string;
}

const always = (): boolean => true;

/**
 * Faults a test switches on and off. Whole-request faults are consumed one request at a time (so a
 * test knows exactly how many calls fail); op rejections last until cleared, like a real bad record.
 */
export class TestErpFaults {
  #rules: FailRule[] = [];
  #rejections: OpRejection[] = [];
  #latencyMs = 0;
  #replyDelay: { ms: number; match: (request: FaultRequest) => boolean } | undefined;

  /** The next `count` requests matching `match` fail with `fault`. */
  failNext(count: number, fault: RequestFault, match: (request: FaultRequest) => boolean = always): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    this.#rules.push({ remaining: count, fault, match });
  }

  /** Every write op matching `match` gets a per-op 400 validation error until `clear()`. */
  rejectOps(match: OpRejection['match'], message = 'rejected by test fault'): void {
    this.#rejections.push({ match, message });
  }

  /** Delay before every request is handled (at most one minute, so nothing hangs a test run). */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > 60_000)
      throw new RangeError('latency must be within 0..60000 ms');
    this.#latencyMs = ms;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  /**
   * Holds the answer `ms` back AFTER the request's work is done (the effect is applied, the reply is
   * late): the window in which a client that dies or gives up has changed the ERP without learning so.
   * At most one minute. `setReplyDelay(0)` switches it off.
   */
  setReplyDelay(ms: number, match: (request: FaultRequest) => boolean = always): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > 60_000)
      throw new RangeError('reply delay must be within 0..60000 ms');
    this.#replyDelay = ms === 0 ? undefined : { ms, match };
  }

  /** The reply delay for `request`, 0 when none applies. */
  replyDelayFor(request: FaultRequest): number {
    return this.#replyDelay?.match(request) ? this.#replyDelay.ms : 0;
  }

  /** Unconsumed whole-request failures, for tests asserting that all were used. */
  get pendingFailures(): number {
    return this.#rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  clear(): void {
    this.#rules = [];
    this.#rejections = [];
    this.#latencyMs = 0;
    this.#replyDelay = undefined;
  }

  /** Consumes and returns the first matching whole-request fault, if any. */
  takeRequestFault(request: FaultRequest): RequestFault | undefined {
    const rule = this.#rules.find((r) => r.remaining > 0 && r.match(request));
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return rule.fault;
  }

  opRejection(entity: string, op: Parameters<OpRejection['match']>[1]): string | undefined {
    return this.#rejections.find((r) => r.match(entity, op))?.message;
  }
}

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { AppError, errors } from '../../shared/errors/index.js';
import type { InboundFlow } from '../engine/index.js';
import type { InboundApplierRegistry } from '../inbound/index.js';
import { checkInboundTarget, getInboundApplier, inboundAppliers } from '../inbound/index.js';
import type { PullFlowStatus } from './cursor-store.js';
import { readPullStatus } from './cursor-store.js';
import type { PullMetrics, PullRunOptions, PullRunResult } from './pull-run-types.js';
import { runPull } from './pull-run.js';

export interface PullSchedulerOptions {
  db: Kysely<Database>;
  logger: Logger;
  metrics?: PullMetrics;
  flows: readonly InboundFlow[];
  appliers?: InboundApplierRegistry;
  /** Identifies this hub's run leases (default host:pid:random). */
  owner?: string;
  /** How long a run's claim on its flow lasts without progress; renewed at every page (default 5 min). */
  leaseMs?: number;
  /** Cursor-advancing pages per run (default 20); a run that stops there is followed at once by the next. */
  maxPagesPerRun?: number;
}

interface FlowState {
  flow: InboundFlow;
  /** The run in progress or the last one: runs of one flow are chained, never overlapping. */
  chain: Promise<unknown>;
  running: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Runs each inbound flow's pull every `everySeconds`. Runs of one flow never overlap (in this process they
 * are chained; across hubs a lease on the flow's cursor row keeps them apart). A scheduled run asks the
 * connector's breaker first; `runOnce` (API, CLI, tests) does not.
 */
export class PullScheduler {
  readonly owner: string;
  readonly #options: PullSchedulerOptions;
  readonly #flows = new Map<string, FlowState>();
  #started = false;

  constructor(options: PullSchedulerOptions) {
    this.#options = options;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const problems = options.flows.flatMap((flow) =>
      checkInboundTarget(flow, options.appliers ?? inboundAppliers),
    );
    if (problems.length > 0)
      throw errors.validation(
        `inbound flows cannot run: ${problems.join('; ')}`,
        problems.map((message) => ({ path: ['flows'], message })),
      );
    for (const flow of options.flows)
      this.#flows.set(flow.name, { flow, chain: Promise.resolve(), running: false });
  }

  get flowNames(): string[] {
    return [...this.#flows.keys()];
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const state of this.#flows.values()) this.#schedule(state, 0);
  }

  /** Stops scheduling and waits for runs in progress to finish (each ends at a page boundary at most a page later). */
  async stop(): Promise<void> {
    this.#started = false;
    for (const state of this.#flows.values()) clearTimeout(state.timer);
    await Promise.all([...this.#flows.values()].map((s) => s.chain.catch(() => undefined)));
  }

  /** Pulls a flow now, after any run of it in progress; pages until the end or the page limit. */
  runOnce(flowName: string, options: PullRunOptions = {}): Promise<PullRunResult> {
    const state = this.#flows.get(flowName);
    if (!state) {
      const known = this.flowNames;
      return Promise.reject(
        new AppError(
          'not_found',
          `inbound flow ${flowName} not found; known: ${known.join(', ') || 'none'}`,
          { details: { flow: flowName, known } },
        ),
      );
    }
    return this.#enqueue(state, options);
  }

  /** Per flow: cursor, last run, last success, last error, pulled total, open pull errors. */
  async status(): Promise<(PullFlowStatus & { scheduled: boolean; everySeconds: number })[]> {
    const rows = await readPullStatus(this.#options.db, this.flowNames);
    return rows.map((row) => {
      const state = this.#flows.get(row.flow);
      return {
        ...row,
        running: row.running || (state?.running ?? false),
        scheduled: this.#started,
        everySeconds: state?.flow.everySeconds ?? 0,
      };
    });
  }

  #enqueue(state: FlowState, options: PullRunOptions): Promise<PullRunResult> {
    const { db, logger, metrics } = this.#options;
    const run = state.chain.then(async () => {
      state.running = true;
      try {
        return await runPull(
          state.flow,
          {
            db,
            logger,
            metrics,
            applier: getInboundApplier(state.flow.entity, this.#options.appliers ?? inboundAppliers),
            owner: this.owner,
            leaseMs: this.#options.leaseMs ?? 300_000,
            maxPages: this.#options.maxPagesPerRun ?? 20,
          },
          options,
        );
      } finally {
        state.running = false;
      }
    });
    state.chain = run.catch(() => undefined);
    return run;
  }

  #schedule(state: FlowState, delayMs: number): void {
    if (!this.#started) return;
    state.timer = setTimeout(() => void this.#tick(state), delayMs);
    state.timer.unref();
  }

  async #tick(state: FlowState): Promise<void> {
    const every = state.flow.everySeconds * 1000;
    const admission = state.flow.breaker.tryAcquire();
    if (!admission.allowed) {
      this.#schedule(state, Math.min(admission.retryInMs, every));
      return;
    }
    let next = every;
    try {
      const result = await this.#enqueue(state, {});
      if (result.outcome === 'partial') next = 0;
    } catch (error) {
      this.#options.logger.error({ err: error, flow: state.flow.name }, 'scheduled pull failed');
    }
    this.#schedule(state, next);
  }
}

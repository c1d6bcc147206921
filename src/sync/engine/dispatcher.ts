import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import type { LeasedDelivery } from '../delivery/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { outboxSignal } from '../../platform/outbox/index.js';
import {
  leaseDeliveries,
  reclaimExpiredLeases,
  releaseConnectorWaits,
  releaseLeases,
} from '../delivery/index.js';
import { deliverBatch } from './deliver-batch.js';
import { ScanStart } from './scan-start.js';
import type { OutboundFlow } from './outbound-flow.js';
import type { SyncMetrics } from './sync-metrics.js';

export interface DispatcherOptions {
  db: Kysely<Database>;
  /** Where domain records are written (the update guard); default `db`. Must commit durably. */
  domainDb?: Kysely<Database>;
  flows: readonly OutboundFlow[];
  logger: Logger;
  metrics?: SyncMetrics;
  /** How long a leased batch is ours; a hub that dies gives its work up after this. */
  leaseMs?: number;
  /** Longest sleep when idle; new local events wake the workers at once. */
  pollMs?: number;
  /** Identifies this hub's leases (default host:pid:random). */
  owner?: string;
  rng?: () => number;
}

/**
 * Runs `concurrency` workers per outbound flow. Each worker asks the connector's breaker, leases a
 * batch, delivers it and acknowledges it, and sleeps only when there is nothing due. Several hubs on
 * one PostgreSQL share the work through leases; on SQLite run one dispatcher per database file.
 */
export class Dispatcher {
  readonly owner: string;
  readonly #options: Required<Omit<DispatcherOptions, 'metrics' | 'rng' | 'owner' | 'domainDb'>> &
    Pick<DispatcherOptions, 'metrics' | 'rng' | 'domainDb'>;
  #running = false;
  #workers: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  readonly #onSignal = () => this.#wakeAll();
  readonly #storageIsSynchronous: boolean;

  constructor(options: DispatcherOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#options = { ...options, leaseMs: options.leaseMs ?? 30_000, pollMs: options.pollMs ?? 500 };
    this.#storageIsSynchronous = engineOf(options.db) === 'sqlite';
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    outboxSignal.on('committed', this.#onSignal);
    for (const flow of this.#options.flows) {
      for (let i = 0; i < Math.max(1, flow.concurrency); i += 1) this.#workers.push(this.#work(flow));
    }
  }

  /** Stops leasing, lets in-flight batches finish, and hands back any leases still held. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    outboxSignal.off('committed', this.#onSignal);
    this.#wakeAll();
    await Promise.all(this.#workers);
    this.#workers = [];
    await releaseLeases(this.#options.db, this.owner).catch((error: unknown) => {
      this.#options.logger.warn({ err: error }, 'could not release leases; they will expire');
    });
  }

  /** Wakes idle workers, e.g. after a replay or a breaker reset. */
  nudge(): void {
    this.#wakeAll();
  }

  #wakeAll(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.add(done);
    });
  }

  /**
   * A probe got through and closed the connector's breaker. What backed off during the outage waited on
   * the ERP, not on itself: it is due now, for every flow of the connector, and the workers wake.
   */
  async #afterRecovery(flow: OutboundFlow): Promise<void> {
    const { db, logger, flows } = this.#options;
    const subscribers = flows.filter((f) => f.connectorName === flow.connectorName).map((f) => f.subscriber);
    const released = await releaseConnectorWaits(db, subscribers);
    if (released > 0)
      logger.info({ connector: flow.connectorName, released }, 'backlog released after recovery');
    this.#wakeAll();
  }

  async #work(flow: OutboundFlow): Promise<void> {
    const { db, logger, metrics, leaseMs, pollMs } = this.#options;
    const callTimeoutMs = Math.floor(leaseMs * 0.6);
    const leaseOptions = {
      subscriber: flow.subscriber,
      owner: this.owner,
      limit: flow.batchSize,
      leaseMs,
      link: { connector: flow.connectorName, entity: flow.entity },
    };
    let nextReclaim = 0;
    // A batch leased with the last acknowledgement (one statement or transaction for both): delivered
    // next, even while stopping, since it is leased already.
    let prefetched: LeasedDelivery[] | undefined;
    const scan = new ScanStart(!this.#storageIsSynchronous);
    // Where the batch in hand was leased from (undefined: the walk started at the beginning).
    let leasedFrom: number | undefined;
    while (this.#running || (prefetched?.length ?? 0) > 0) {
      if (Date.now() >= nextReclaim) {
        nextReclaim = Date.now() + Math.max(100, Math.floor(leaseMs / 4));
        await reclaimExpiredLeases(db, flow.subscriber).catch((error: unknown) =>
          logger.warn({ err: error, flow: flow.name }, 'lease reclaim failed'),
        );
      }
      let batch = prefetched;
      let probe = false;
      prefetched = undefined;
      if (batch === undefined) {
        const admission = flow.breaker.tryAcquire();
        if (!admission.allowed) {
          await this.#sleep(Math.min(admission.retryInMs, pollMs * 2));
          continue;
        }
        probe = admission.probe;
        leasedFrom = probe ? undefined : scan.next();
        try {
          batch = await leaseDeliveries(
            db,
            withStart({ ...leaseOptions, limit: probe ? 1 : flow.batchSize, probe }, leasedFrom),
          );
        } catch (error) {
          await this.#stepFailed(flow, error);
          continue;
        }
      }
      if (scan.leased(batch, leasedFrom)) continue;
      if (batch.length === 0) {
        await this.#sleep(pollMs);
        continue;
      }
      try {
        // The next lease rides on this batch's acknowledgement unless stopping or probing.
        const fuse = this.#running && !probe;
        if (fuse) leasedFrom = scan.next();
        const delivered = await deliverBatch(flow, batch, {
          db,
          ...(this.#options.domainDb && { domainDb: this.#options.domainDb }),
          owner: this.owner,
          metrics,
          callTimeoutMs,
          rng: this.#options.rng,
          ...(fuse && { next: withStart(leaseOptions, leasedFrom) }),
        });
        prefetched = delivered.next;
        // SQLite answers synchronously: with a connector that does no I/O either, this loop would run in
        // promise callbacks until the backlog is gone, starving the hub's HTTP API and timers. One turn
        // of the event loop per batch costs a few microseconds (PostgreSQL's round trips give turns).
        if (this.#storageIsSynchronous) await nextTurn();
        if (probe && flow.breaker.snapshot().state === 'closed') await this.#afterRecovery(flow);
      } catch (error) {
        await this.#stepFailed(flow, error);
      }
    }
  }

  /** Storage trouble (not connector trouble): leases expire and the work is retried. */
  async #stepFailed(flow: OutboundFlow, error: unknown): Promise<void> {
    this.#options.logger.error({ err: error, flow: flow.name }, 'dispatch step failed');
    await this.#sleep(Math.max(this.#options.pollMs, 250));
  }
}

function withStart<T extends object>(options: T, fromId: number | undefined): T & { fromId?: number } {
  return fromId === undefined ? options : { ...options, fromId };
}

import pLimit from 'p-limit';
import type { Kysely } from 'kysely';
import { connectorRegistry } from '../../connectors/registry.js';
import type { AnyConnector, ConnectorSession } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { setSubscriptions } from '../../platform/outbox/index.js';
import type { LoadedFlow, LoadedFlowConfig } from '../flows/index.js';
import { findInboundApplier } from '../inbound/index.js';
import { PullScheduler } from '../pull/index.js';
import type { BreakerSnapshot } from '../retry/index.js';
import { CircuitBreaker } from '../retry/index.js';
import { Dispatcher } from './dispatcher.js';
import type { InboundFlow } from './inbound-flow.js';
import { LazySession } from './lazy-session.js';
import type { OutboundFlow } from './outbound-flow.js';
import { flowSubscriber } from './outbound-flow.js';
import type { SyncMetrics } from './sync-metrics.js';
import type { UpdateGuard } from './update-guard.js';

export interface SyncEngineOptions {
  db: Kysely<Database>;
  /**
   * Where the dispatcher leases and acknowledges, when not `db`: the hub gives it a relaxed-commit
   * PostgreSQL pool (docs/sync/delivery-and-retries.md, "Commit durability").
   */
  deliveryDb?: Kysely<Database>;
  logger: Logger;
  flowConfig: LoadedFlowConfig;
  metrics?: SyncMetrics;
  registry?: Readonly<Record<string, AnyConnector>>;
  owner?: string;
  pollMs?: number;
  leaseMs?: number;
}

/** One configured connector: its session, breaker and concurrency limit, shared by its flows. */
export interface ConnectorRuntime {
  name: string;
  type: string;
  session: ConnectorSession;
  breaker: CircuitBreaker;
  limit: <T>(task: () => Promise<T>) => Promise<T>;
}

const stateValue = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Everything the hub runs for sync, built from a validated flow config: connector runtimes, outbound
 * flows on a dispatcher, inbound flows for the pull scheduler, and the outbox subscriptions that feed
 * the outbound ones.
 */
export class SyncEngine {
  readonly connectors: ReadonlyMap<string, ConnectorRuntime>;
  readonly outbound: readonly OutboundFlow[];
  readonly inbound: readonly InboundFlow[];
  readonly flowConfig: LoadedFlowConfig;
  readonly dispatcher: Dispatcher;
  readonly pulls: PullScheduler;
  readonly #options: SyncEngineOptions;

  constructor(options: SyncEngineOptions) {
    this.#options = options;
    this.flowConfig = options.flowConfig;
    const registry = options.registry ?? connectorRegistry;
    const enabled = options.flowConfig.flows.filter((f) => f.enabled);
    const runtimes = new Map<string, ConnectorRuntime>();
    for (const name of new Set(enabled.map((f) => f.connector))) {
      const entry = options.flowConfig.config.connectors[name];
      const connector = entry ? registry[entry.type] : undefined;
      if (!entry || !connector) throw new Error(`connector "${name}" is not configured or not registered`);
      if (entry.config === undefined) {
        throw new Error(
          `connector "${name}" uses configRef "${entry.configRef ?? ''}", but no credential store is configured`,
        );
      }
      const config = connector.configSchema.parse(entry.config);
      const breaker = new CircuitBreaker({
        onStateChange: (from, to) => {
          options.logger.warn({ connector: name, from, to }, 'circuit breaker state changed');
          options.metrics?.circuitState.set({ connector: name }, stateValue[to]);
        },
      });
      options.metrics?.circuitState.set({ connector: name }, 0);
      runtimes.set(name, {
        name,
        type: entry.type,
        session: new LazySession(() => connector.connect(config, { logger: options.logger })),
        breaker,
        limit: pLimit(connector.manifest.maxConcurrency),
      });
    }
    this.connectors = runtimes;
    const runtimeOf = (flow: LoadedFlow): ConnectorRuntime =>
      runtimes.get(flow.connector) as ConnectorRuntime;
    const guardOf = (flow: LoadedFlow): UpdateGuard | undefined => {
      const connector = registry[runtimeOf(flow).type];
      const manifest = connector?.manifest.entities[flow.target.entity];
      if (!flow.guardUpdates || !manifest?.guardedUpdates) return undefined;
      if (flow.target.operation !== 'update' && flow.target.operation !== 'upsert') return undefined;
      // The pull of the same connector entity into the same Fieldsync entity judges the ERP's edits.
      const pull = enabled.find(
        (g) =>
          g.direction === 'inbound' &&
          g.source.kind === 'pull' &&
          g.connector === flow.connector &&
          g.source.entity === flow.target.entity &&
          g.target.entity === flow.entity,
      );
      const applier = pull ? findInboundApplier(pull.target.entity) : undefined;
      if (!pull || pull.source.kind !== 'pull' || !applier) return undefined;
      // A create-only pull never judges a record we have, so it cannot guard an update of one.
      if (pull.target.operation === 'create') return undefined;
      return {
        inbound: {
          name: pull.name,
          connectorName: pull.connector,
          sourceEntity: pull.source.entity,
          entity: pull.target.entity,
          operation: pull.target.operation,
          mapping: pull.compiledMapping,
        },
        applier,
      };
    };
    this.outbound = enabled
      .filter((f) => f.direction === 'outbound' && f.source.kind === 'events')
      .map((f) => {
        const rt = runtimeOf(f);
        return {
          name: f.name,
          subscriber: flowSubscriber(f.name),
          eventTypes: f.source.kind === 'events' ? f.source.types : [],
          connectorName: rt.name,
          session: rt.session,
          entity: f.target.entity,
          operation: f.target.operation,
          mapping: f.compiledMapping,
          batchSize: f.batchSize,
          concurrency: f.concurrency,
          retry: f.retry,
          breaker: rt.breaker,
          limit: rt.limit,
          guard: guardOf(f),
        };
      });
    this.inbound = enabled.flatMap((f): InboundFlow[] => {
      if (f.direction !== 'inbound' || f.source.kind !== 'pull') return [];
      const rt = runtimeOf(f);
      return [
        {
          name: f.name,
          connectorName: rt.name,
          session: rt.session,
          sourceEntity: f.source.entity,
          everySeconds: f.source.schedule.everySeconds,
          overlapSeconds: f.source.overlapSeconds,
          pageSize: f.source.pageSize,
          entity: f.target.entity,
          operation: f.target.operation,
          mapping: f.compiledMapping,
          retry: f.retry,
          breaker: rt.breaker,
          limit: rt.limit,
        },
      ];
    });
    this.dispatcher = new Dispatcher({
      db: options.deliveryDb ?? options.db,
      domainDb: options.db,
      flows: this.outbound,
      logger: options.logger,
      metrics: options.metrics,
      owner: options.owner,
      pollMs: options.pollMs,
      leaseMs: options.leaseMs,
    });
    this.pulls = new PullScheduler({
      db: options.db,
      logger: options.logger,
      metrics: options.metrics,
      flows: this.inbound,
      owner: options.owner,
    });
  }

  /** Subscribes outbound flows to their events (from now on), then starts delivering. */
  async start(): Promise<void> {
    const subscriptions = Object.fromEntries(this.outbound.map((f) => [f.subscriber, f.eventTypes]));
    await setSubscriptions(this.#options.db, subscriptions, { prune: 'flow:' });
    this.dispatcher.start();
    this.pulls.start();
    this.#options.logger.info(
      { outbound: this.outbound.map((f) => f.name), inbound: this.inbound.map((f) => f.name) },
      'sync engine started',
    );
  }

  async stop(): Promise<void> {
    await this.pulls.stop();
    await this.dispatcher.stop();
    for (const rt of this.connectors.values()) await rt.session.close().catch(() => undefined);
  }

  breakerStates(): Record<string, BreakerSnapshot> {
    return Object.fromEntries([...this.connectors.values()].map((rt) => [rt.name, rt.breaker.snapshot()]));
  }
}

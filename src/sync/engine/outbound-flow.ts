import type { ConnectorSession, WriteOpKind } from '../../connectors/sdk/index.js';
import type { CompiledMapping } from '../mapping/index.js';
import type { CircuitBreaker, RetryPolicy } from '../retry/index.js';
import type { UpdateGuard } from './update-guard.js';

/** An event as the mapping sees it: its data plus `$event` metadata. */
export interface MappingInput extends Record<string, unknown> {
  $event: { id: string; type: string; subject: string; time: string; sequence: number };
}

/** A loaded, ready-to-run outbound flow: everything the dispatcher needs, nothing it must look up. */
export interface OutboundFlow {
  name: string;
  /** Outbox subscriber name: `flow:<name>`. */
  subscriber: string;
  eventTypes: readonly string[];
  connectorName: string;
  session: ConnectorSession;
  entity: string;
  /** `upsert` becomes create or update from the crosswalk; other kinds are sent as they are. */
  operation: WriteOpKind;
  mapping: CompiledMapping;
  batchSize: number;
  concurrency: number;
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  /** Shared per connector: at most maxConcurrency calls in flight across all its flows. */
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** Check the ERP for edits before updating (set when the entity is also pulled; see UpdateGuard). */
  guard?: UpdateGuard;
}

export const flowSubscriber = (flowName: string) => `flow:${flowName}`;

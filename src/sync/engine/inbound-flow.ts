import type { ConnectorSession } from '../../connectors/sdk/index.js';
import type { CompiledMapping } from '../mapping/index.js';
import type { CircuitBreaker, RetryPolicy } from '../retry/index.js';

/** A loaded, ready-to-run inbound (pull) flow. */
export interface InboundFlow {
  name: string;
  connectorName: string;
  session: ConnectorSession;
  /** The connector entity read with readChanges. */
  sourceEntity: string;
  everySeconds: number;
  overlapSeconds: number;
  pageSize: number;
  /** The Fieldsync entity records are applied to (customer, item, ...). */
  entity: string;
  /** upsert | create | update */
  operation: string;
  /** ERP record data → Fieldsync field values, with an owner per field. */
  mapping: CompiledMapping;
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  limit: <T>(task: () => Promise<T>) => Promise<T>;
}

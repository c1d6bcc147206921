import pLimit from 'p-limit';
import type { ConnectorSession, WriteOpKind } from '../../connectors/sdk/index.js';
import type { LookupTables } from '../mapping/index.js';
import { compileMapping } from '../mapping/index.js';
import type { RetryPolicyInput } from '../retry/index.js';
import { CircuitBreaker, retryPolicySchema } from '../retry/index.js';
import type { OutboundFlow } from './outbound-flow.js';
import { flowSubscriber } from './outbound-flow.js';
import type { UpdateGuard } from './update-guard.js';

export interface OutboundFlowParts {
  name: string;
  eventTypes: readonly string[];
  connectorName: string;
  session: ConnectorSession;
  entity: string;
  operation: WriteOpKind;
  mapping: unknown;
  lookups?: LookupTables;
  batchSize?: number;
  concurrency?: number;
  retry?: RetryPolicyInput;
  breaker?: CircuitBreaker;
  limit?: OutboundFlow['limit'];
  guard?: UpdateGuard;
}

/** Assembles a runnable flow from its parts; mapping problems throw with every path named. */
export function buildOutboundFlow(parts: OutboundFlowParts): OutboundFlow {
  const compiled = compileMapping(parts.mapping, parts.lookups ?? {});
  if (!compiled.ok) {
    const detail = compiled.issues.map((i) => `mapping.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`flow ${parts.name}: invalid mapping: ${detail}`);
  }
  const limiter = pLimit(parts.concurrency ?? 1);
  return {
    name: parts.name,
    subscriber: flowSubscriber(parts.name),
    eventTypes: parts.eventTypes,
    connectorName: parts.connectorName,
    session: parts.session,
    entity: parts.entity,
    operation: parts.operation,
    mapping: compiled.mapping,
    batchSize: parts.batchSize ?? 100,
    concurrency: parts.concurrency ?? 1,
    retry: retryPolicySchema.parse(parts.retry ?? {}),
    breaker: parts.breaker ?? new CircuitBreaker(),
    limit: parts.limit ?? (<T>(task: () => Promise<T>) => limiter(task)),
    ...(parts.guard && { guard: parts.guard }),
  };
}

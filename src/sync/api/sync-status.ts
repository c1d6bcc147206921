import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { backlogBySubscriber } from '../delivery/index.js';
import type { SyncEngine } from '../engine/index.js';
import { flowSubscriber } from '../engine/index.js';
import { describeFlow } from '../flows/index.js';

export interface FlowStatus {
  name: string;
  direction: 'outbound' | 'inbound';
  connector: string;
  enabled: boolean;
  summary: string;
  pending: number;
  inFlight: number;
  dead: number;
  oldestPendingAt: string | null;
  lagSeconds: number;
}

export interface SyncStatus {
  engine: 'running' | 'disabled';
  flows: FlowStatus[];
  connectors: {
    name: string;
    type: string;
    circuit: string;
    consecutiveFailures: number;
    nextProbeAt: string | null;
  }[];
}

/** Backlog, lag and breaker state per flow and connector, read from storage and the running engine. */
export async function syncStatus(
  db: Kysely<Database>,
  engine: SyncEngine | undefined,
  now = Date.now(),
): Promise<SyncStatus> {
  const backlog = new Map((await backlogBySubscriber(db)).map((b) => [b.subscriber, b]));
  const flows = (engine?.flowConfig.flows ?? []).map((flow): FlowStatus => {
    const b = backlog.get(flowSubscriber(flow.name));
    const oldest = b?.oldestPendingAt ?? null;
    return {
      name: flow.name,
      direction: flow.direction,
      connector: flow.connector,
      enabled: flow.enabled,
      summary: describeFlow(flow),
      pending: b?.pending ?? 0,
      inFlight: b?.inFlight ?? 0,
      dead: b?.dead ?? 0,
      oldestPendingAt: oldest,
      lagSeconds: oldest ? Math.max(0, (now - Date.parse(oldest)) / 1000) : 0,
    };
  });
  const connectors = [...(engine?.connectors.values() ?? [])].map((rt) => {
    const s = rt.breaker.snapshot();
    return {
      name: rt.name,
      type: rt.type,
      circuit: s.state,
      consecutiveFailures: s.consecutiveFailures,
      nextProbeAt: s.nextProbeAt === null ? null : new Date(s.nextProbeAt).toISOString(),
    };
  });
  return { engine: engine ? 'running' : 'disabled', flows, connectors };
}

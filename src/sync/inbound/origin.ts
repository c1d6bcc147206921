import type { UnitOfWork } from '../../platform/outbox/index.js';

/** Marks the events a pull causes: which connector and flow the values came from. */
export interface PullOrigin {
  connector: string;
  flow: string;
  externalId: string;
  /** The ERP version the values were read from. */
  erpModifiedAt: string;
}

/**
 * The unit of work handed to domain services while pulled values are applied: it joins the pull's
 * transaction and adds `origin` to the data of every event emitted through it. The outbound side uses
 * the mark to avoid echoing the ERP's own values back to it (`isEchoFor`).
 */
export function withOrigin(uow: UnitOfWork, origin: PullOrigin): UnitOfWork {
  return {
    tx: uow.tx,
    emit: (event) => {
      const data: unknown = event.data;
      const marked =
        typeof data === 'object' && data !== null && !Array.isArray(data) ? { ...data, origin } : data;
      return uow.emit({ ...event, data: marked as typeof event.data });
    },
  };
}

/** The pull origin stored in an event's data, if the event was caused by a pull. */
export function pullOriginOf(data: unknown): PullOrigin | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const origin: unknown = (data as { origin?: unknown }).origin;
  if (typeof origin !== 'object' || origin === null) return undefined;
  const { connector, flow, externalId, erpModifiedAt } = origin as Record<string, unknown>;
  if (typeof connector !== 'string' || typeof flow !== 'string') return undefined;
  return {
    connector,
    flow,
    externalId: typeof externalId === 'string' ? externalId : '',
    erpModifiedAt: typeof erpModifiedAt === 'string' ? erpModifiedAt : '',
  };
}

/**
 * True when an event only carries values that `connector` already has, because a pull from that very
 * connector caused it. An outbound flow to that connector acknowledges such an event without sending it;
 * flows to other connectors deliver it as usual.
 */
export function isEchoFor(data: unknown, connector: string): boolean {
  return pullOriginOf(data)?.connector === connector;
}

import type { Kysely } from 'kysely';
import type { WriteOp, WriteResult } from '../../connectors/sdk/index.js';
import { ConnectorError } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import { localIdOfSubject } from '../../platform/outbox/index.js';
import type { DeliveredOutcome, DeliveryOutcome, LeasedDelivery, LeaseOptions } from '../delivery/index.js';
import { acknowledge } from '../delivery/index.js';
import { isEchoFor } from '../inbound/index.js';
import type { FailureDecision } from '../retry/index.js';
import { decideOnFailure } from '../retry/index.js';
import type { MappingInput, OutboundFlow } from './outbound-flow.js';
import { describeMappingIssues } from '../mapping/index.js';
import type { SyncMetrics } from './sync-metrics.js';
import { guardUpdates, rememberSent } from './update-guard.js';
import { withDeadline } from './with-deadline.js';

export interface DeliverContext {
  db: Kysely<Database>;
  /**
   * Where domain records are written (the update guard applies ERP edits); default `db`. The hub's
   * delivery pool commits without waiting for the disk, which only delivery bookkeeping may do.
   */
  domainDb?: Kysely<Database>;
  owner: string;
  metrics?: SyncMetrics;
  /** Upper bound for one writeBatch call; must stay below the lease time. */
  callTimeoutMs: number;
  rng?: () => number;
  /** The worker's next lease, to take with this batch's acknowledgement (one statement or transaction). */
  next?: LeaseOptions;
}

export interface DeliveredBatch {
  outcomes: DeliveryOutcome[];
  /** The next batch, when it was leased with this one's acknowledgement (possibly empty: nothing due). */
  next?: LeasedDelivery[];
}

interface Prepared {
  delivery: LeasedDelivery;
  localId: string;
  op?: WriteOp;
  mappingError?: string;
  /** The change came from this connector (a pull): sending it back would echo the ERP's own edit. */
  echo?: boolean;
  /** Known to fail before sending (the update guard could not check the ERP's version). */
  failure?: unknown;
}

/**
 * The event as the mapping sees it: its data plus `$event`. The data object was parsed for this lease
 * alone, so `$event` is added to it in place rather than copied into a new object per event.
 */
function mappingInput(d: LeasedDelivery): MappingInput {
  const input = (typeof d.data === 'object' && d.data !== null ? d.data : { value: d.data }) as MappingInput;
  input.$event = {
    id: d.event_id,
    type: d.event_type,
    subject: d.subject,
    time: d.event_time,
    sequence: d.sequence,
  };
  return input;
}

/**
 * Leasing counts every attempt (a reclaimed or released lease stays counted) and a replay keeps the last
 * error, so attempt 1 with no error recorded is a delivery no connector has been handed before.
 */
function isFirstAttempt(d: LeasedDelivery): boolean {
  return d.attempts === 1 && d.last_error_class === null;
}

/**
 * Maps a leased batch, sends it in one writeBatch call, and records every outcome (with crosswalk
 * entries) in one acknowledgement transaction. Retry versus dead letter is decided by `decideOnFailure`
 * alone; the breaker hears one signal per call.
 */
export async function deliverBatch(
  flow: OutboundFlow,
  batch: LeasedDelivery[],
  ctx: DeliverContext,
): Promise<DeliveredBatch> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  // The lease read each record's crosswalk entry (`external_id`), so upserts know create from update.
  const prepared: Prepared[] = batch.map((delivery) => {
    const localId = localIdOfSubject(delivery.subject);
    if (isEchoFor(delivery.data, flow.connectorName)) return { delivery, localId, echo: true };
    const mapped = flow.mapping.map(mappingInput(delivery));
    if (!mapped.ok)
      return {
        delivery,
        localId,
        mappingError: describeMappingIssues(mapped.issues),
      };
    const externalId = delivery.external_id;
    const op: WriteOp = {
      idempotencyKey: delivery.idempotency_key,
      op: flow.operation === 'upsert' ? (externalId ? 'update' : 'create') : flow.operation,
      reference: localId,
      payload: mapped.value,
    };
    // Set, not spread: this runs for every event, and a spread copies an object per event.
    if (externalId) op.externalId = externalId;
    if (isFirstAttempt(delivery)) op.firstAttempt = true;
    return { delivery, localId, op };
  });

  // One budget for the batch's calls, so the guard's read and the write together stay within the lease.
  const budgetEnds = started + ctx.callTimeoutMs;
  const domainDb = ctx.domainDb ?? ctx.db;
  if (flow.guard)
    await guardUpdates(flow, flow.guard, prepared, {
      db: domainDb,
      callTimeoutMs: Math.ceil(ctx.callTimeoutMs / 2),
    });
  const sendable = prepared.filter(
    (p): p is Prepared & { op: WriteOp } => p.op !== undefined && p.failure === undefined,
  );
  let results: WriteResult[] = [];
  let callError: unknown;
  if (sendable.length > 0) {
    try {
      results = await flow.limit(() =>
        withDeadline(
          (signal) =>
            flow.session.writeBatch(
              flow.entity,
              sendable.map((p) => p.op),
              { signal },
            ),
          Math.max(1, Math.floor(budgetEnds - performance.now())),
        ),
      );
      if (results.length !== sendable.length)
        throw new ConnectorError(
          'transient',
          `connector answered ${results.length} results for ${sendable.length} ops`,
        );
    } catch (error) {
      callError = error;
    }
  }
  const durationMs = performance.now() - started;
  const resultByKey = new Map(results.map((r) => [r.idempotencyKey, r]));

  const outcomes: DeliveryOutcome[] = [];
  let sawHealthy = false;
  let worst: FailureDecision['connector'] | undefined;
  for (const p of prepared) {
    const base = { deliveryId: p.delivery.id, attempt: p.delivery.attempts, startedAt, durationMs };
    if (p.echo) {
      outcomes.push({ kind: 'delivered', ...base });
      continue;
    }
    let failure: unknown;
    if (p.failure !== undefined) failure = p.failure;
    else if (p.mappingError !== undefined)
      failure = new ConnectorError('validation', `mapping failed: ${p.mappingError}`);
    else if (callError !== undefined) failure = callError;
    else {
      const result = resultByKey.get(p.op?.idempotencyKey ?? p.delivery.idempotency_key);
      if (!result) failure = new ConnectorError('transient', 'no result for this op');
      else if (result.ok) {
        sawHealthy = true;
        const delivered: DeliveredOutcome = {
          kind: 'delivered',
          deliveryId: base.deliveryId,
          attempt: base.attempt,
          startedAt,
          durationMs,
        };
        // Only a new or changed link is written: most updates confirm the id we already hold.
        if (result.externalId && result.externalId !== p.delivery.external_id)
          delivered.crosswalk = {
            connector: flow.connectorName,
            entity: flow.entity,
            localId: p.localId,
            externalId: result.externalId,
          };
        outcomes.push(delivered);
        continue;
      } else failure = result.error;
    }
    const decision = decideOnFailure(failure, p.delivery.attempts, flow.retry, {
      rng: ctx.rng,
      ...(p.op && { op: p.op.op }),
    });
    if (decision.connector.health === 'ok') sawHealthy = true;
    else if (!worst || (decision.connector.trip && !(worst.health === 'failure' && worst.trip)))
      worst = decision.connector;
    if (decision.action === 'ack') {
      outcomes.push({ kind: 'delivered', ...base });
      continue;
    }
    const dead = decision.action === 'dead_letter';
    outcomes.push({
      kind: dead ? 'dead' : 'retry',
      ...base,
      errorClass: decision.errorClass,
      errorMessage: dead ? decision.reason : decision.message,
      ...(!dead && { nextAttemptAt: new Date(Date.now() + decision.delayMs).toISOString() }),
      ...(decision.action === 'retry' && !decision.countsAttempt && { uncounted: true }),
      mappedRequest: p.op ?? { mappingError: p.mappingError },
    });
  }
  if (worst) flow.breaker.report(worst);
  else if (sawHealthy) flow.breaker.report({ health: 'ok' });

  // The next lease rides on this acknowledgement only while the connector is healthy: an open or
  // half-open breaker admits each batch itself.
  const next = ctx.next && flow.breaker.snapshot().state === 'closed' ? ctx.next : undefined;
  const leasedNext = await acknowledge(ctx.db, flow.name, ctx.owner, outcomes, next);
  if (flow.guard) {
    const landed = new Set(outcomes.filter((o) => o.kind === 'delivered').map((o) => o.deliveryId));
    await rememberSent(
      domainDb,
      flow,
      prepared.filter((p) => landed.has(p.delivery.id)),
    );
  }
  if (ctx.metrics) recordMetrics(ctx.metrics, flow.name, batch, outcomes);
  return leasedNext ? { outcomes, next: leasedNext } : { outcomes };
}

function recordMetrics(
  metrics: SyncMetrics,
  flow: string,
  batch: LeasedDelivery[],
  outcomes: DeliveryOutcome[],
): void {
  const now = Date.now();
  const timeById = new Map(batch.map((d) => [d.id, d.event_time]));
  for (const o of outcomes) {
    if (o.kind === 'delivered') {
      metrics.delivered.inc({ flow });
      metrics.attempts.inc({ flow, outcome: 'delivered', error_class: 'none' });
      const at = Date.parse(timeById.get(o.deliveryId) ?? '');
      if (!Number.isNaN(at)) metrics.latency.observe({ flow }, Math.max(0, now - at) / 1000);
    } else metrics.attempts.inc({ flow, outcome: o.kind, error_class: o.errorClass });
  }
}

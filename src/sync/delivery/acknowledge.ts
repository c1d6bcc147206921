import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { engineOf } from '../../platform/db/index.js';
import { acknowledgeOnPostgres } from './ack-postgres.js';
import { acknowledgeOnSqlite } from './ack-sqlite.js';
import type { AckRows, FirstTry, LinkRow } from './ack-rows.js';
import type { LeasedDelivery, LeaseOptions } from './lease-query.js';

export interface DeliveredOutcome {
  kind: 'delivered';
  deliveryId: number;
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** Crosswalk entry to write with the acknowledgement, when the target returned an id. */
  crosswalk?: { connector: string; entity: string; localId: string; externalId: string };
}

export interface FailedOutcome {
  kind: 'retry' | 'dead';
  deliveryId: number;
  attempt: number;
  startedAt: string;
  durationMs: number;
  errorClass: string;
  errorMessage: string;
  /** For retries: when to try again. */
  nextAttemptAt?: string;
  /** The request we sent (or would send), kept for dead-letter inspection. */
  mappedRequest?: unknown;
  /** The failure was not the record's fault (auth, rate limit): give back the attempt leasing took. */
  uncounted?: boolean;
}

export type DeliveryOutcome = DeliveredOutcome | FailedOutcome;

const MAX_ERROR_CHARS = 2000;

/**
 * Records a batch's outcomes atomically: delivery states, crosswalk entries and attempt rows (a
 * first-try success keeps its attempt on the delivery row; `sync_attempt_log` reads both).
 * Only rows still leased by `owner` are touched — if our lease expired and another hub took the work,
 * its result wins and ours is dropped (the ERP saw the same idempotency key twice, which it tolerates).
 * On PostgreSQL this is one statement (one round trip); on SQLite one short transaction. Either also
 * takes the worker's `next` lease when asked, and returns it (undefined when it was not taken here:
 * the caller then leases on its own).
 */
export async function acknowledge(
  db: Kysely<Database>,
  flow: string,
  owner: string,
  outcomes: DeliveryOutcome[],
  next?: LeaseOptions,
): Promise<LeasedDelivery[] | undefined> {
  if (outcomes.length === 0) return undefined;
  const rows = ackRowsOf(flow, owner, outcomes, new Date().toISOString());
  return engineOf(db) === 'sqlite'
    ? acknowledgeOnSqlite(db, rows, next)
    : acknowledgeOnPostgres(db, rows, next);
}

function ackRowsOf(flow: string, owner: string, outcomes: DeliveryOutcome[], now: string): AckRows {
  const firstTry = sharedFirstTry(outcomes);
  const rows: AckRows = { owner, now, delivered: [], firstTry, settled: [], attempts: [], links: [] };
  // At most one link per record, the last confirmation winning: an upsert may not touch a row twice.
  const links = new Map<string, LinkRow>();
  for (const o of outcomes) {
    const failed = o.kind !== 'delivered';
    // A first-try success is kept on its delivery row (firstTry), which the acknowledgement writes anyway.
    if (failed || firstTry === null || o.attempt !== 1) {
      rows.attempts.push({
        delivery_id: o.deliveryId,
        flow,
        attempt: o.attempt,
        started_at: o.startedAt,
        duration_ms: Math.round(o.durationMs),
        outcome: o.kind,
        error_class: failed ? o.errorClass : null,
        error_message: failed ? o.errorMessage.slice(0, MAX_ERROR_CHARS) : null,
      });
    } else firstTry.ids.push(o.deliveryId);
    if (failed) {
      rows.settled.push({
        id: o.deliveryId,
        status: o.kind === 'dead' ? 'dead' : 'pending',
        next_attempt_at: o.nextAttemptAt ?? now,
        error_class: o.errorClass,
        error_message: o.errorMessage.slice(0, MAX_ERROR_CHARS),
        mapped_request: o.mappedRequest === undefined ? null : JSON.stringify(o.mappedRequest),
        attempts: o.uncounted ? Math.max(0, o.attempt - 1) : null,
      });
      continue;
    }
    rows.delivered.push(o.deliveryId);
    const link = o.crosswalk;
    if (!link) continue;
    const key = `${link.connector}\u0000${link.entity}\u0000${link.localId}`;
    links.delete(key);
    links.set(key, {
      key,
      delivery_id: o.deliveryId,
      connector: link.connector,
      entity: link.entity,
      local_id: link.localId,
      external_id: link.externalId,
    });
  }
  rows.links = [...links.values()];
  return rows;
}

/**
 * The start and duration shared by the batch's first-try successes (one writeBatch call gives them
 * all the same), bound once to the delivered update. Null when they differ: then each keeps its
 * attempt row, so the history is the same either way.
 */
function sharedFirstTry(outcomes: DeliveryOutcome[]): FirstTry | null {
  let shared: FirstTry | null = null;
  for (const o of outcomes) {
    if (o.kind !== 'delivered' || o.attempt !== 1) continue;
    const duration = Math.round(o.durationMs);
    if (shared === null) shared = { ids: [], started_at: o.startedAt, duration_ms: duration };
    else if (shared.started_at !== o.startedAt || shared.duration_ms !== duration) return null;
  }
  return shared;
}

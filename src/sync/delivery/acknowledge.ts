import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';

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

/**
 * Records a batch's outcomes in one transaction: delivery states, crosswalk entries and attempt rows.
 * Only rows still leased by `owner` are touched — if our lease expired and another hub took the work,
 * its result wins and ours is dropped (the ERP saw the same idempotency key twice, which it tolerates).
 */
export async function acknowledge(
  db: Kysely<Database>,
  flow: string,
  owner: string,
  outcomes: DeliveryOutcome[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    const released = { lease_owner: null, lease_expires_at: null };
    const delivered = outcomes.filter((o): o is DeliveredOutcome => o.kind === 'delivered');
    const mine = new Set<number>();
    if (delivered.length > 0) {
      // The guard on owner and state makes the update itself the check that the lease is still ours.
      const updated = await tx
        .updateTable('outbox_deliveries')
        .set({
          status: 'delivered',
          delivered_at: now,
          last_error_class: null,
          last_error: null,
          ...released,
        })
        .where(
          'id',
          'in',
          delivered.map((o) => o.deliveryId),
        )
        .where('lease_owner', '=', owner)
        .where('status', '=', 'in_flight')
        .returning('id')
        .execute();
      for (const row of updated) mine.add(Number(row.id));
      const links = delivered
        .filter((o) => o.crosswalk && mine.has(o.deliveryId))
        .map((o) => o.crosswalk as NonNullable<DeliveredOutcome['crosswalk']>);
      if (links.length > 0) await writeCrosswalk(tx, links, now);
    }
    for (const o of outcomes) {
      if (o.kind === 'delivered') continue;
      const updated = await tx
        .updateTable('outbox_deliveries')
        .set({
          status: o.kind === 'dead' ? 'dead' : 'pending',
          next_attempt_at: o.nextAttemptAt ?? now,
          last_error_class: o.errorClass,
          last_error: o.errorMessage.slice(0, 2000),
          mapped_request: o.mappedRequest === undefined ? null : JSON.stringify(o.mappedRequest),
          ...released,
          ...(o.uncounted && { attempts: Math.max(0, o.attempt - 1) }),
        })
        .where('id', '=', o.deliveryId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'in_flight')
        .returning('id')
        .execute();
      if (updated.length > 0) mine.add(o.deliveryId);
    }
    const recorded = outcomes.filter((o) => mine.has(o.deliveryId));
    if (recorded.length === 0) return;
    await tx
      .insertInto('sync_attempts')
      .values(
        recorded.map((o) => ({
          delivery_id: o.deliveryId,
          flow,
          attempt: o.attempt,
          started_at: o.startedAt,
          duration_ms: Math.round(o.durationMs),
          outcome: o.kind,
          error_class: o.kind === 'delivered' ? null : o.errorClass,
          error_message: o.kind === 'delivered' ? null : o.errorMessage.slice(0, 2000),
        })),
      )
      .execute();
  });
}

type CrosswalkLink = NonNullable<DeliveredOutcome['crosswalk']>;

/**
 * Upserts crosswalk links. An ERP id now confirmed for one record cannot still point at another (ids
 * reused after an ERP restore, or two records matched by reference): the newest confirmation wins.
 */
async function writeCrosswalk(tx: Kysely<Database>, links: CrosswalkLink[], now: string): Promise<void> {
  const unique = [...new Map(links.map((l) => [`${l.connector}|${l.entity}|${l.localId}`, l])).values()];
  const scopes = new Map<string, CrosswalkLink[]>();
  for (const link of unique) {
    const scope = `${link.connector}|${link.entity}`;
    scopes.set(scope, [...(scopes.get(scope) ?? []), link]);
  }
  for (const [scope, group] of scopes) {
    const [connector = '', entity = ''] = scope.split('|');
    const intended = new Map(group.map((l) => [l.externalId, l.localId]));
    const clashing = await tx
      .selectFrom('sync_crosswalk')
      .select(['local_id', 'external_id'])
      .where('connector', '=', connector)
      .where('entity', '=', entity)
      .where('external_id', 'in', [...intended.keys()])
      .execute();
    const stale = clashing
      .filter((row) => intended.get(row.external_id) !== row.local_id)
      .map((row) => row.local_id);
    if (stale.length > 0) {
      await tx
        .deleteFrom('sync_crosswalk')
        .where('connector', '=', connector)
        .where('entity', '=', entity)
        .where('local_id', 'in', stale)
        .execute();
    }
    await tx
      .insertInto('sync_crosswalk')
      .values(
        group.map((c) => ({
          connector,
          entity,
          local_id: c.localId,
          external_id: c.externalId,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connector', 'entity', 'local_id']).doUpdateSet((eb) => ({
          external_id: eb.ref('excluded.external_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

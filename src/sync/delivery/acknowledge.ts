import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';

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
export async function acknowledge(db: Kysely<Database>, flow: string, owner: string, outcomes: DeliveryOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    const ids = outcomes.map((o) => o.deliveryId);
    const stillOurs = new Set(
      (
        await forUpdate(
          tx,
          tx.selectFrom('outbox_deliveries').select('id').where('id', 'in', ids).where('lease_owner', '=', owner).where('status', '=', 'in_flight'),
        ).execute()
      ).map((r) => Number(r.id)),
    );
    const mine = outcomes.filter((o) => stillOurs.has(o.deliveryId));
    if (mine.length === 0) return;

    const delivered = mine.filter((o): o is DeliveredOutcome => o.kind === 'delivered');
    if (delivered.length > 0) {
      await tx
        .updateTable('outbox_deliveries')
        .set({ status: 'delivered', delivered_at: now, lease_owner: null, lease_expires_at: null, last_error_class: null, last_error: null })
        .where('id', 'in', delivered.map((o) => o.deliveryId))
        .execute();
      const crosswalk = new Map<string, NonNullable<DeliveredOutcome['crosswalk']>>();
      for (const o of delivered) if (o.crosswalk) crosswalk.set(`${o.crosswalk.connector}|${o.crosswalk.entity}|${o.crosswalk.localId}`, o.crosswalk);
      if (crosswalk.size > 0) {
        // An ERP id now confirmed for one record cannot still point at another (ids reused after an
        // ERP restore, or two records matched by reference): the newest confirmation wins.
        for (const c of crosswalk.values()) {
          await tx
            .deleteFrom('sync_crosswalk')
            .where('connector', '=', c.connector)
            .where('entity', '=', c.entity)
            .where('external_id', '=', c.externalId)
            .where('local_id', '!=', c.localId)
            .execute();
        }
        await tx
          .insertInto('sync_crosswalk')
          .values([...crosswalk.values()].map((c) => ({ connector: c.connector, entity: c.entity, local_id: c.localId, external_id: c.externalId, updated_at: now })))
          .onConflict((oc) =>
            oc.columns(['connector', 'entity', 'local_id']).doUpdateSet((eb) => ({
              external_id: eb.ref('excluded.external_id'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    }
    for (const o of mine) {
      if (o.kind === 'delivered') continue;
      await tx
        .updateTable('outbox_deliveries')
        .set({
          status: o.kind === 'dead' ? 'dead' : 'pending',
          next_attempt_at: o.nextAttemptAt ?? now,
          lease_owner: null,
          lease_expires_at: null,
          last_error_class: o.errorClass,
          last_error: o.errorMessage.slice(0, 2000),
          mapped_request: o.mappedRequest === undefined ? null : JSON.stringify(o.mappedRequest),
          ...(o.uncounted && { attempts: Math.max(0, o.attempt - 1) }),
        })
        .where('id', '=', o.deliveryId)
        .execute();
    }
    await tx
      .insertInto('sync_attempts')
      .values(
        mine.map((o) => ({
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

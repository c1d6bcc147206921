import type { Kysely } from 'kysely';
import type { ConnectorRecord, WriteOp } from '../../connectors/sdk/index.js';
import { ConnectorError } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import { isAppError } from '../../shared/errors/index.js';
import type { LeasedDelivery } from '../delivery/index.js';
import {
  conflictDb,
  dataHash,
  loadSnapshot,
  parseStored,
  saveSnapshot,
  snapshotVersions,
} from '../conflicts/index.js';
import type { InboundApplier } from '../inbound/index.js';
import { describeMappingIssues, getPath } from '../mapping/index.js';
import type { PullTarget } from '../pull/index.js';
import { applyPulledRecord } from '../pull/index.js';
import type { OutboundFlow } from './outbound-flow.js';
import { withDeadline } from './with-deadline.js';

/**
 * Lets an outbound flow check the ERP before it updates a record, so an ERP edit made since the last
 * pull is judged like a pull would judge it (applied, or held as a conflict) instead of being written
 * over. Present when the same connector entity is also pulled into the same Fieldsync entity and the
 * connector reads records by id and honours `ifUnmodifiedSince` (docs/sync/conflicts.md).
 */
export interface UpdateGuard {
  /** The pull flow of the same connector entity: its mapping and ownership judge the ERP's edits. */
  inbound: PullTarget;
  applier: InboundApplier;
}

/** What the guard needs of one prepared delivery; it may rewrite `op`, set `failure`, or note `sent`. */
export interface GuardedDelivery {
  delivery: LeasedDelivery;
  localId: string;
  op?: WriteOp;
  failure?: unknown;
  /** Per pulled field, the local value this update writes; both snapshot bases move to it once it lands. */
  sent?: Record<string, unknown>;
}

export interface GuardContext {
  /** Domain writes (the ERP's edits applied locally) commit durably: never the relaxed delivery pool. */
  db: Kysely<Database>;
  /** For the read only; the write gets what is left of the batch's budget. */
  callTimeoutMs: number;
}

/** Errors of the record itself (our rules refuse the ERP's values, the record is archived...). */
const recordLevel = new Set(['validation', 'conflict', 'not_found', 'unprocessable', 'precondition_failed']);

type Update = GuardedDelivery & { op: WriteOp & { externalId: string } };

const isUpdate = (p: GuardedDelivery): p is Update =>
  p.op?.op === 'update' && p.op.externalId !== undefined && p.failure === undefined;

/**
 * Reads the records the batch updates (one call), applies the ERP's edits made since the last sync
 * through the pull's 3-way compare, re-maps each update from the current local record with every field
 * held in an open conflict at the ERP's value, and makes it conditional on the version just read.
 * Records without a snapshot (never pulled) have no base to compare against and go out as before.
 */
export async function guardUpdates(
  flow: OutboundFlow,
  guard: UpdateGuard,
  prepared: readonly GuardedDelivery[],
  ctx: GuardContext,
): Promise<void> {
  const updates = prepared.filter(isUpdate);
  if (updates.length === 0) return;
  const versions = await snapshotVersions(
    ctx.db,
    flow.connectorName,
    flow.entity,
    updates.map((p) => p.op.externalId),
  );
  const guarded = updates.filter((p) => versions.has(p.op.externalId));
  if (guarded.length === 0) return;

  let records: ConnectorRecord[];
  try {
    records = await flow.limit(() =>
      withDeadline((signal) => {
        const read = flow.session.readRecords;
        if (!read) throw new ConnectorError('validation', `${flow.connectorName} cannot read records by id`);
        return read.call(
          flow.session,
          flow.entity,
          guarded.map((p) => p.op.externalId),
          { signal },
        );
      }, ctx.callTimeoutMs),
    );
  } catch (error) {
    for (const p of guarded) p.failure = error;
    return;
  }
  const current = new Map(records.map((r) => [r.externalId, r]));

  const checked: Update[] = [];
  for (const p of guarded) {
    const record = current.get(p.op.externalId);
    // Gone from the ERP: the update fails on its own (not_found) and the policy decides.
    if (record === undefined) continue;
    if (record.modifiedAt !== versions.get(p.op.externalId)?.erpModifiedAt) {
      try {
        await accountForErpEdits(ctx.db, guard, record);
      } catch (error) {
        // Storage trouble is the dispatcher's to handle (the lease expires, the batch runs again).
        if (!isAppError(error) && !(error instanceof ConnectorError)) throw error;
        if (isAppError(error) && !recordLevel.has(error.code)) throw error;
        // Our rules refuse the ERP's record (the customer is archived here, a value we do not accept):
        // the next pull reports it as a pull error; the update still goes out, on this version, so an
        // archive or a change of ours is not held hostage by the ERP's edit.
      }
    }
    p.op.ifUnmodifiedSince = record.modifiedAt;
    checked.push(p);
  }

  const held = await openConflictValues(
    ctx.db,
    flow.connectorName,
    guard.inbound.entity,
    checked.map((p) => p.localId),
  );
  const written = writtenFields(flow, guard);
  for (const p of checked) {
    // The record as it is now, not as the event saw it: a pull may have applied an ERP edit since the
    // event was written, and the event's older copy of that field would put the old value back.
    const local = await guard.applier.read(ctx.db, p.localId);
    const hold = held.get(p.localId);
    remap(flow, guard.applier.eventKey, p, local?.data, hold);
    if (local && p.failure === undefined) {
      const view = local.compared ?? local.data;
      p.sent = Object.fromEntries(
        written.filter((f) => !(hold && f in hold)).map((f) => [f, getPath(view, f) ?? null]),
      );
    }
  }
}

/** Pulled fields this outbound flow writes: its mapping reads them from the event's record. */
function writtenFields(flow: OutboundFlow, guard: UpdateGuard): string[] {
  const prefix = `${guard.applier.eventKey}.`;
  const sources = new Set(
    flow.mapping.fields.flatMap((f) => (f.from?.startsWith(prefix) ? [f.from.slice(prefix.length)] : [])),
  );
  return Object.keys(guard.inbound.mapping.ownership).filter((f) => sources.has(f));
}

/**
 * After guarded updates landed: the ERP now holds what we sent, so both bases of those fields move to
 * it. Without this the next check would take our own write for an ERP edit, and a second local edit of
 * the same field would look like a clash with our first one.
 */
export async function rememberSent(
  db: Kysely<Database>,
  flow: OutboundFlow,
  delivered: readonly GuardedDelivery[],
): Promise<void> {
  const landed = delivered.filter((p) => p.sent !== undefined && p.op?.externalId !== undefined);
  if (landed.length === 0) return;
  await db.transaction().execute(async (tx) => {
    for (const p of landed) {
      const key = { connector: flow.connectorName, externalEntity: flow.entity, localId: p.localId };
      const before = await loadSnapshot(tx, key);
      if (!before) continue;
      await saveSnapshot(
        tx,
        { ...key, externalId: p.op?.externalId as string },
        {
          ...before,
          erp: { ...before.erp, ...p.sent },
          local: { ...before.local, ...p.sent },
        },
      );
    }
  });
}

/** The pull's own per-record step: ERP edits applied or held, snapshot moved to this version. */
async function accountForErpEdits(db: Kysely<Database>, guard: UpdateGuard, record: ConnectorRecord) {
  const mapped = guard.inbound.mapping.map(record.data);
  if (!mapped.ok)
    throw new ConnectorError('validation', `mapping failed: ${describeMappingIssues(mapped.issues)}`);
  const pulled = {
    flow: guard.inbound,
    applier: guard.applier,
    record,
    mapped: mapped.value,
    erpHash: dataHash(record.data),
    onlyIfNewer: true,
  };
  try {
    await applyPulledRecord(db, pulled);
  } catch (error) {
    // A local edit landed between the compare's read and its write: compare once more.
    if (!isAppError(error) || error.code !== 'precondition_failed') throw error;
    await applyPulledRecord(db, pulled);
  }
}

/** Per local id, the ERP-side value of every field held in an open conflict with this connector. */
async function openConflictValues(
  db: Kysely<Database>,
  connector: string,
  entity: string,
  localIds: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (localIds.length === 0) return out;
  const rows = await conflictDb(db)
    .selectFrom('sync_conflicts')
    .select(['local_id', 'field', 'erp_value'])
    .where('connector', '=', connector)
    .where('entity', '=', entity)
    .where('status', '=', 'open')
    .where('local_id', 'in', [...new Set(localIds)])
    .execute();
  for (const row of rows) {
    const fields = out.get(row.local_id) ?? {};
    fields[row.field] = parseStored(row.erp_value) ?? null;
    out.set(row.local_id, fields);
  }
  return out;
}

/**
 * Maps the update again from the current record (the ERP's accepted edits are local now) with held
 * fields at the ERP's value. A payload that changed gets its own idempotency key: the vendor may have applied
 * the first payload under the event's key, and a key must never carry two different requests.
 */
function remap(
  flow: OutboundFlow,
  eventKey: string,
  p: Update,
  merged: Record<string, unknown> | undefined,
  hold: Record<string, unknown> | undefined,
) {
  const data = (
    typeof p.delivery.data === 'object' && p.delivery.data !== null ? p.delivery.data : {}
  ) as Record<string, unknown>;
  const fromEvent = data[eventKey];
  const record = merged ?? (typeof fromEvent === 'object' && fromEvent !== null ? fromEvent : {});
  const mapped = flow.mapping.map({ ...data, [eventKey]: { ...record, ...hold } });
  if (!mapped.ok) {
    p.failure = new ConnectorError(
      'validation',
      `mapping the merged record failed: ${describeMappingIssues(mapped.issues)}`,
    );
    return;
  }
  const before = dataHash(p.op.payload);
  const after = dataHash(mapped.value);
  if (before === after) return;
  p.op.payload = mapped.value;
  p.op.idempotencyKey = `${p.delivery.idempotency_key}~${after.slice(0, 16)}`;
}

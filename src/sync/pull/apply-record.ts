import type { Kysely } from 'kysely';
import type { ConnectorRecord } from '../../connectors/sdk/index.js';
import type { Database } from '../../platform/db/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import type { ConflictKey, FieldAction, SideSnapshot, StoredSnapshot } from '../conflicts/index.js';
import {
  closeOpenConflict,
  decideFields,
  effectiveBase,
  emitConflictResolved,
  loadSnapshot,
  openConflict,
  openConflictFields,
  recordSettledConflict,
  saveSnapshot,
} from '../conflicts/index.js';
import { linkRecords, lookupExternalIds, lookupLocalIds } from '../delivery/index.js';
import type { InboundApplier, LocalRecord } from '../inbound/index.js';
import { withOrigin } from '../inbound/index.js';
import type { InboundFlow } from '../engine/index.js';
import { getPath } from '../mapping/index.js';
import { countPulled } from './cursor-store.js';
import { resolvePullError } from './pull-errors.js';

export type PullTarget = Pick<
  InboundFlow,
  'name' | 'connectorName' | 'sourceEntity' | 'entity' | 'mapping'
> & {
  /** upsert (default): create or update; create: only records we do not have; update: only records we have. */
  operation?: string;
};

export interface RecordOutcome {
  /** skipped: the flow's operation excludes it (create-only and we have it, update-only and we do not). */
  kind: 'created' | 'updated' | 'unchanged' | 'skipped';
  /** Empty when skipped without a local record. */
  localId: string;
  /** Conflicts this record opened now (refreshes of an open conflict do not count). */
  newConflicts: number;
  /** Clashes a shared rule settled. */
  settledConflicts: number;
}

const fieldOf = (record: LocalRecord, field: string): unknown =>
  getPath(record.compared ?? record.data, field) ?? null;

function mappedFields(flow: PullTarget, mapped: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(flow.mapping.ownership)) {
    const value = getPath(mapped, field);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** The local record this ERP record stands for: by crosswalk, else by the applier's natural key, else none. */
async function findLocal(
  uow: UnitOfWork,
  flow: PullTarget,
  applier: InboundApplier,
  record: ConnectorRecord,
  values: Record<string, unknown>,
) {
  const linked = (
    await lookupLocalIds(uow.tx, flow.connectorName, flow.sourceEntity, [record.externalId])
  ).get(record.externalId);
  if (linked !== undefined) {
    const local = await applier.read(uow, linked, values);
    if (!local) throw errors.notFound(flow.entity, linked);
    return local;
  }
  const match = await applier.findMatch(uow, values);
  if (!match) return undefined;
  const other = (await lookupExternalIds(uow.tx, flow.connectorName, flow.sourceEntity, [match.id])).get(
    match.id,
  );
  if (other !== undefined && other !== record.externalId) {
    throw errors.conflict(
      `${flow.entity} ${match.id} matches ${flow.sourceEntity} ${record.externalId} but is linked to ${other}`,
      {
        localId: match.id,
        linkedTo: other,
      },
    );
  }
  await linkRecords(uow.tx, {
    connector: flow.connectorName,
    entity: flow.sourceEntity,
    localId: match.id,
    externalId: record.externalId,
  });
  return match;
}

/** Snapshot bases after the decisions: what each side is now known to hold, per field. */
function nextSnapshot(
  actions: readonly FieldAction[],
  ownership: PullTarget['mapping']['ownership'],
  before: SideSnapshot | undefined,
  after: LocalRecord,
): SideSnapshot {
  const erp: Record<string, unknown> = { ...before?.erp };
  const local: Record<string, unknown> = { ...before?.local };
  for (const a of actions) {
    const owner = ownership[a.field]?.owner ?? 'shared';
    switch (a.action) {
      case 'converge':
      case 'apply_erp':
        erp[a.field] = a.erp;
        local[a.field] = fieldOf(after, a.field);
        break;
      case 'auto':
        erp[a.field] = a.erp;
        local[a.field] = a.winner === 'erp' ? fieldOf(after, a.field) : a.local;
        break;
      case 'none':
      case 'keep_local':
      case 'hold': {
        // Unchanged bases; a first-contact default is written down so the next pull compares against it.
        const base = effectiveBase(a.field, owner, a.erp, a.local, before);
        if (base.known) {
          erp[a.field] = base.erp;
          local[a.field] = base.local;
        }
        break;
      }
    }
  }
  return { erp, local };
}

/**
 * Applies one pulled record in one transaction: the local change through the module (events marked with
 * the pull's origin), the crosswalk link, the per-side snapshot, conflict rows, the pull counter, and
 * the closing of an earlier pull error of the record. A throw rolls all of it back.
 */
export interface PulledRecord {
  flow: PullTarget;
  applier: InboundApplier;
  record: ConnectorRecord;
  /** `flow.mapping.map(record.data)` */
  mapped: Readonly<Record<string, unknown>>;
  /** `dataHash(record.data)`, kept in the snapshot for dedupe. */
  erpHash: string;
  /** The record has an open pull error to close once it applies (default true: look). */
  hadPullError?: boolean;
  /** Skip a version older than the snapshot's (versions of one connector compare as strings). */
  onlyIfNewer?: boolean;
}

export async function applyPulledRecord(db: Kysely<Database>, pulled: PulledRecord): Promise<RecordOutcome> {
  const { flow, applier, record, mapped, erpHash, hadPullError = true } = pulled;
  return inTransaction(db, async (uow) => {
    const origin = {
      connector: flow.connectorName,
      flow: flow.name,
      externalId: record.externalId,
      erpModifiedAt: record.modifiedAt,
    };
    const marked = withOrigin(uow, origin);
    const values = mappedFields(flow, mapped);
    const recordKey = {
      connector: flow.connectorName,
      externalEntity: flow.sourceEntity,
      externalId: record.externalId,
    };
    if (hadPullError) await resolvePullError(uow.tx, flow.name, record.externalId);
    const operation = flow.operation ?? 'upsert';

    const local = await findLocal(uow, flow, applier, record, values);
    if ((!local && operation === 'update') || (local && operation === 'create')) {
      return { kind: 'skipped', localId: local?.id ?? '', newConflicts: 0, settledConflicts: 0 };
    }
    await countPulled(uow.tx, flow.name);
    if (!local) {
      const created = await applier.create(marked, values);
      await linkRecords(uow.tx, {
        connector: flow.connectorName,
        entity: flow.sourceEntity,
        localId: created.id,
        externalId: record.externalId,
      });
      const localSide = Object.fromEntries(Object.keys(values).map((f) => [f, fieldOf(created, f)]));
      await saveSnapshot(
        uow.tx,
        { ...recordKey, localId: created.id },
        { erp: values, local: localSide, erpModifiedAt: record.modifiedAt, erpHash },
      );
      return { kind: 'created', localId: created.id, newConflicts: 0, settledConflicts: 0 };
    }

    const key: ConflictKey = { ...recordKey, localId: local.id, flow: flow.name, entity: flow.entity };
    const before: StoredSnapshot | undefined = await loadSnapshot(uow.tx, key);
    // The update guard read this version before a pull applied a newer one: applying it would put
    // older ERP values back. (A pull itself applies what it reads: its data is current even when a late
    // commit gives it an older stamp, which is what the overlap window is for.)
    if (pulled.onlyIfNewer && before?.erpModifiedAt && record.modifiedAt < before.erpModifiedAt)
      return { kind: 'unchanged', localId: local.id, newConflicts: 0, settledConflicts: 0 };
    const actions = decideFields({
      ownership: flow.mapping.ownership,
      erp: values,
      local: local.compared ?? local.data,
      snapshot: before,
      erpModifiedAt: record.modifiedAt,
      localModifiedAt: local.updatedAt,
    });
    const patch: Record<string, unknown> = {};
    for (const a of actions)
      if (a.action === 'apply_erp' || (a.action === 'auto' && a.winner === 'erp')) patch[a.field] = a.erp;
    const after =
      Object.keys(patch).length > 0 ? await applier.update(marked, local.id, patch, local.version) : local;

    const alreadyOpen = await openConflictFields(uow.tx, key);
    let newConflicts = 0;
    let settledConflicts = 0;
    let resendField: string | undefined;
    for (const a of actions) {
      const own = flow.mapping.ownership[a.field];
      const owner = own?.owner ?? 'shared';
      if (a.action === 'hold') {
        const base = effectiveBase(a.field, owner, a.erp, a.local, before);
        const detail = {
          field: a.field,
          owner,
          rule: own?.rule,
          conflict: a.conflict,
          base: base.known ? base.erp : undefined,
          erp: a.erp,
          local: a.local,
        };
        if ((await openConflict(uow.tx, key, detail)) === 'new') newConflicts += 1;
      } else if (a.action === 'auto') {
        const base = effectiveBase(a.field, owner, a.erp, a.local, before);
        const detail = {
          field: a.field,
          owner,
          rule: a.rule,
          conflict: a.conflict,
          base: base.known ? base.erp : undefined,
          erp: a.erp,
          local: a.local,
        };
        const value = a.winner === 'erp' ? fieldOf(after, a.field) : a.local;
        await recordSettledConflict(uow.tx, key, detail, {
          resolution: a.winner === 'erp' ? 'take_erp' : 'take_ours',
          resolvedBy: `rule:${a.rule}`,
          value,
        });
        settledConflicts += 1;
        if (a.winner === 'fieldsync') resendField ??= a.field;
      } else if (alreadyOpen.has(a.field)) {
        // The cause is gone: both sides agree now, or the change that clashed was undone or superseded.
        const resolution = a.action === 'converge' ? 'converged' : 'obsolete';
        await closeOpenConflict(uow.tx, key, a.field, {
          resolution,
          resolvedBy: 'sync',
          value: fieldOf(after, a.field),
        });
      }
    }
    if (resendField !== undefined) {
      // A shared rule kept our value against an ERP edit: send it again, the earlier local event may be gone.
      await emitConflictResolved(uow, applier, after, {
        flow: flow.name,
        connector: flow.connectorName,
        field: resendField,
        resolution: 'take_ours',
        resolvedBy: 'rule',
      });
    }
    const next = nextSnapshot(actions, flow.mapping.ownership, before, after);
    await saveSnapshot(uow.tx, key, { ...next, erpModifiedAt: record.modifiedAt, erpHash });
    return {
      kind: after === local ? 'unchanged' : 'updated',
      localId: local.id,
      newConflicts,
      settledConflicts,
    };
  });
}

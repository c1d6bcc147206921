import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import type { InboundApplierRegistry, LocalRecord } from '../inbound/index.js';
import { getInboundApplier, withOrigin } from '../inbound/index.js';
import { getPath } from '../mapping/index.js';
import type { SyncConflict } from './conflict.js';
import { ConflictResolution, conflictFromRow } from './conflict.js';
import { canonicalJson, parseStored } from './json.js';
import { emitConflictResolved } from './resend-event.js';
import { loadSnapshot, saveSnapshot } from './snapshots.js';
import { conflictTx } from './tables.js';

export interface ResolveInput {
  resolution: ConflictResolution;
  /** Required for `edit`, refused otherwise. */
  value?: unknown;
}

export interface ResolveDeps {
  appliers?: InboundApplierRegistry;
  /** Who decided (token name, user); stored as `resolved_by`. */
  actor?: string;
}

const resolutions: readonly string[] = Object.values(ConflictResolution);

function checkInput(input: ResolveInput): void {
  if (!resolutions.includes(input.resolution)) {
    throw errors.validation(`resolution must be one of ${resolutions.join(', ')}`, [
      { path: ['resolution'], message: 'unknown resolution' },
    ]);
  }
  const hasValue = Object.hasOwn(input, 'value') && input.value !== undefined;
  if (input.resolution === 'edit' && !hasValue) {
    throw errors.validation('resolution edit needs a value', [
      { path: ['value'], message: 'required for edit' },
    ]);
  }
  if (input.resolution !== 'edit' && hasValue) {
    throw errors.validation(`resolution ${input.resolution} takes no value`, [
      { path: ['value'], message: 'only for edit' },
    ]);
  }
}

const fieldOf = (record: LocalRecord, field: string): unknown => getPath(record.data, field) ?? null;

/**
 * Settles an open conflict, in one transaction with its effects:
 * - `take_erp`: the ERP value is applied locally through the module (its event is marked as coming from
 *   the ERP, so it is not sent back);
 * - `take_ours`: the local value stays and a `<entity>.conflict_resolved` event carries it out;
 * - `edit`: the given value is applied locally like any local change (its update event carries it out;
 *   when it equals the current value, `<entity>.conflict_resolved` does).
 * The snapshot then holds the ERP value as the ERP side's base and the chosen value as ours, so a later
 * pull sees no change until the ERP receives the value (both sides agree) or someone edits again.
 * Resolving a resolved conflict is a 409.
 */
export async function resolveConflict(
  db: Kysely<Database>,
  id: string,
  input: ResolveInput,
  deps: ResolveDeps = {},
): Promise<SyncConflict> {
  checkInput(input);
  return inTransaction(db, async (uow) => {
    const tx = conflictTx(uow.tx);
    const row = await forUpdate(
      tx,
      tx.selectFrom('sync_conflicts').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('conflict', id);
    if (row.status !== 'open') {
      throw errors.conflict(`conflict ${id} is already resolved (${row.resolution ?? 'unknown'})`, {
        status: row.status,
        resolution: row.resolution,
        resolvedBy: row.resolved_by,
        resolvedAt: row.resolved_at,
      });
    }
    const applier = getInboundApplier(row.entity, deps.appliers);
    const local = await applier.read(uow, row.local_id);
    if (!local) throw errors.notFound(row.entity, row.local_id);
    const externalEntity = row.external_entity ?? row.entity;
    const recordKey = {
      connector: row.connector,
      externalEntity,
      localId: row.local_id,
      externalId: row.external_id,
    };
    const snapshot = await loadSnapshot(uow.tx, recordKey);
    const erpValue = parseStored(row.erp_value) ?? null;
    const current = fieldOf(local, row.field);
    const actor = deps.actor ?? 'api';

    let after = local;
    let resend = false;
    if (input.resolution === 'take_erp') {
      if (!isDeepStrictEqual(erpValue, current)) {
        const origin = {
          connector: row.connector,
          flow: row.flow,
          externalId: row.external_id,
          erpModifiedAt: snapshot?.erpModifiedAt ?? '',
        };
        after = await applier.update(
          withOrigin(uow, origin),
          local.id,
          { [row.field]: erpValue },
          local.version,
        );
      }
    } else if (input.resolution === 'take_ours') {
      resend = true;
    } else if (!isDeepStrictEqual(input.value, current)) {
      after = await applier.update(uow, local.id, { [row.field]: input.value }, local.version);
    } else resend = true;

    const chosen = fieldOf(after, row.field);
    await saveSnapshot(uow.tx, recordKey, {
      erp: { ...snapshot?.erp, [row.field]: erpValue },
      local: { ...snapshot?.local, [row.field]: chosen },
      erpModifiedAt: snapshot?.erpModifiedAt ?? null,
      erpHash: snapshot?.erpHash ?? null,
    });
    if (resend) {
      await emitConflictResolved(uow, applier, after, {
        conflictId: id,
        flow: row.flow,
        connector: row.connector,
        field: row.field,
        resolution: input.resolution,
        resolvedBy: actor,
      });
    }
    const now = nowIso();
    await tx
      .updateTable('sync_conflicts')
      .set({
        status: 'resolved',
        resolution: input.resolution,
        resolved_value: canonicalJson(chosen),
        resolved_by: actor,
        resolved_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const resolved = await tx
      .selectFrom('sync_conflicts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return conflictFromRow(resolved);
  });
}

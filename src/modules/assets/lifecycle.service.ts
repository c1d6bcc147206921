import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { errors } from '../../shared/errors/index.js';
import { assertNotBeforeHistory, lockAsset, recordStatusChange, todayUtc, touchAsset } from './asset-kit.js';
import { AssetEvents, assetSubject } from './events.js';
import type { AssetDispose, AssetTransition } from './lifecycle-schemas.js';
import { assetDisposeSchema, assetTransitionSchema } from './lifecycle-schemas.js';
import { parseInput } from '../../shared/parse-input.js';
import { checkAssetDates } from './references.js';
import { findChildRows } from './repository.js';
import type { Asset } from './schemas.js';
import { asAssetStatus, assertTransition } from './status-machine.js';

/**
 * Plain lifecycle steps (installed, in_service). Installing sets the install date to the effective date,
 * which must still precede the warranty ends.
 */
export async function transitionAsset(
  executor: Executor,
  id: string,
  raw: AssetTransition,
  expectedVersion?: number,
): Promise<Asset> {
  const input = parseInput(assetTransitionSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockAsset(uow, id, expectedVersion);
    const from = asAssetStatus(row.status);
    assertTransition(id, from, input.to);
    const effectiveDate = input.effectiveDate ?? todayUtc();
    await assertNotBeforeHistory(uow.tx, row, effectiveDate, 'effectiveDate');
    const values: Record<string, unknown> = { status: input.to };
    const changedFields = ['status'];
    if (input.to === 'installed' && row.install_date !== effectiveDate) {
      values.install_date = effectiveDate;
      changedFields.push('installDate');
      checkAssetDates({
        installDate: effectiveDate,
        warrantyPartsUntil: row.warranty_parts_until,
        warrantyLaborUntil: row.warranty_labor_until,
      });
    }
    const reason = input.reason ?? null;
    await recordStatusChange(uow.tx, { assetId: id, from, to: input.to, effectiveAt: effectiveDate, reason });
    const asset = await touchAsset(uow.tx, id, values);
    await uow.emit({
      type: AssetEvents.statusChanged,
      subject: assetSubject(id),
      data: { asset, fromStatus: from, toStatus: input.to, effectiveDate, reason, changedFields },
    });
    return asset;
  });
}

/**
 * Disposal is final. An asset whose components are still live cannot go: they would be left attached to
 * equipment that no longer exists, so the 409 names them (dispose them or detach them first).
 */
export async function disposeAsset(
  executor: Executor,
  id: string,
  raw: AssetDispose,
  expectedVersion?: number,
): Promise<Asset> {
  const input = parseInput(assetDisposeSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockAsset(uow, id, expectedVersion);
    const from = asAssetStatus(row.status);
    assertTransition(id, from, 'disposed');
    const live = (await findChildRows(uow.tx, id)).filter((child) => child.status !== 'disposed');
    if (live.length > 0) {
      throw errors.conflict(
        `asset ${id} still has ${live.length} live component(s); dispose or detach them first`,
        {
          assetId: id,
          componentAssetIds: live.map((child) => child.id),
        },
      );
    }
    await assertNotBeforeHistory(uow.tx, row, input.disposalDate, 'disposalDate');
    await recordStatusChange(uow.tx, {
      assetId: id,
      from,
      to: 'disposed',
      effectiveAt: input.disposalDate,
      reason: input.disposalReason,
    });
    const asset = await touchAsset(uow.tx, id, {
      status: 'disposed',
      disposal_date: input.disposalDate,
      disposal_reason: input.disposalReason,
    });
    await uow.emit({
      type: AssetEvents.disposed,
      subject: assetSubject(id),
      data: {
        asset,
        fromStatus: from,
        disposalDate: input.disposalDate,
        disposalReason: input.disposalReason,
        changedFields: ['status', 'disposalDate', 'disposalReason'],
      },
    });
    return asset;
  });
}

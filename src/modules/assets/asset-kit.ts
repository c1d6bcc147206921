import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate } from '../../platform/db/index.js';
import type { UnitOfWork } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import type { AssetRow } from './repository.js';
import { assetFromRow, findAssetRow, latestStatusChangeAt } from './repository.js';
import type { Asset, AssetStatus } from './schemas.js';

/** Helpers shared by the asset services: locking, loading and the status-change ledger. */

export function todayUtc(): string {
  return nowIso().slice(0, 10);
}

export async function loadAsset(db: Kysely<Database>, id: string): Promise<Asset> {
  const row = await findAssetRow(db, id);
  if (!row) throw errors.notFound('asset', id);
  return assetFromRow(row);
}

/** Locks the asset row for the rest of the transaction and checks the version the caller saw. */
export async function lockAsset(uow: UnitOfWork, id: string, expectedVersion?: number): Promise<AssetRow> {
  const row = await forUpdate(
    uow.tx,
    uow.tx.selectFrom('assets').selectAll().where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw errors.notFound('asset', id);
  assertVersion('asset', id, Number(row.version), expectedVersion);
  return row;
}

export function assertNotDisposed(row: AssetRow, action: string): void {
  if (row.status !== 'disposed') return;
  throw errors.conflict(
    `asset ${row.id} is disposed (on ${row.disposal_date ?? '?'}); disposal is final, cannot ${action}`,
    {
      assetId: row.id,
      currentStatus: 'disposed',
      disposalDate: row.disposal_date,
      allowedTransitions: [],
    },
  );
}

export async function recordStatusChange(
  db: Kysely<Database>,
  change: {
    assetId: string;
    from: AssetStatus | null;
    to: AssetStatus;
    effectiveAt: string;
    reason: string | null;
  },
): Promise<void> {
  await db
    .insertInto('asset_status_changes')
    .values({
      id: newId(),
      asset_id: change.assetId,
      from_status: change.from,
      to_status: change.to,
      effective_at: change.effectiveAt,
      reason: change.reason,
      recorded_at: nowIso(),
    })
    .execute();
}

/**
 * Lifecycle events happen in order: a date before the asset's previous status change (or before its
 * install date) is refused as a 400 naming the field.
 */
export async function assertNotBeforeHistory(
  db: Kysely<Database>,
  row: AssetRow,
  date: string,
  field: string,
): Promise<void> {
  const day = date.slice(0, 10);
  const last = await latestStatusChangeAt(db, row.id);
  const lastDay = last?.slice(0, 10) ?? null;
  if (lastDay !== null && day < lastDay) {
    throw errors.validation(
      `${field} ${day} is before the asset's previous status change on ${lastDay}`,
      [{ path: [field], message: `must not be before ${lastDay}` }],
      { previousChangeAt: last },
    );
  }
  if (row.install_date !== null && day < row.install_date && row.status !== 'ordered') {
    throw errors.validation(
      `${field} ${day} is before the install date ${row.install_date}`,
      [{ path: [field], message: `must not be before installDate ${row.install_date}` }],
      { installDate: row.install_date },
    );
  }
}

/** Bumps the version and re-reads the asset. */
export async function touchAsset(
  db: Kysely<Database>,
  id: string,
  values: Record<string, unknown>,
): Promise<Asset> {
  await db
    .updateTable('assets')
    .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .execute();
  return loadAsset(db, id);
}

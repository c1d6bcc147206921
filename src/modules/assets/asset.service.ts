import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import {
  loadAsset,
  lockAsset,
  assertNotDisposed,
  recordStatusChange,
  todayUtc,
  touchAsset,
} from './asset-kit.js';
import { AssetEvents, assetSubject } from './events.js';
import { parseInput } from '../../shared/parse-input.js';
import { checkAssetDates, checkParent, resolveItem, resolvePlace } from './references.js';
import {
  assetFromRow,
  findAssetByExternalRef as findRowByExternalRef,
  findAssetBySerial,
  listAssetRows,
} from './repository.js';
import type { Asset, AssetCreate, AssetListFilter, AssetPatch, AssetStatus } from './schemas.js';
import { assetCreateSchema, assetPatchSchema } from './schemas.js';

/** A serial number is unique per item (model); a clash names the asset that already holds it. */
async function assertSerialFree(db: Kysely<Database>, itemId: string, serialNumber: string, selfId?: string) {
  const other = await findAssetBySerial(db, itemId, serialNumber);
  if (other && other.id !== selfId) {
    throw errors.conflict(`serial number ${serialNumber} of item ${itemId} is already asset ${other.id}`, {
      field: 'serialNumber',
      conflictingId: other.id,
    });
  }
}

function rethrowUnique(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw errors.conflict('serial number is already used by another asset of this item', {
      field: 'serialNumber',
    });
  }
  throw error;
}

/** Bought on a purchase order and not installed yet → ordered; anything else is already on site. */
function initialStatus(input: {
  status?: AssetStatus;
  purchaseRef?: string;
  purchaseDate?: string;
  installDate?: string;
}) {
  if (input.status) return input.status;
  return (input.purchaseRef || input.purchaseDate) && !input.installDate ? 'ordered' : 'installed';
}

export async function createAsset(executor: Executor, raw: AssetCreate): Promise<Asset> {
  const input = parseInput(assetCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    await resolveItem(uow, input.itemId);
    await resolvePlace(uow, input.customerId, input.siteId);
    if (input.parentAssetId) await checkParent(uow.tx, null, input.parentAssetId, input.customerId);
    await assertSerialFree(uow.tx, input.itemId, input.serialNumber);
    const now = nowIso();
    const id = newId();
    const status = initialStatus(input);
    try {
      await uow.tx
        .insertInto('assets')
        .values({
          id,
          serial_number: input.serialNumber,
          item_id: input.itemId,
          name: input.name ?? null,
          customer_id: input.customerId,
          site_id: input.siteId,
          cost_center: input.costCenter ?? null,
          status,
          install_date: input.installDate ?? null,
          warranty_parts_until: input.warrantyPartsUntil ?? null,
          warranty_labor_until: input.warrantyLaborUntil ?? null,
          purchase_date: input.purchaseDate ?? null,
          purchase_ref: input.purchaseRef ?? null,
          disposal_date: null,
          disposal_reason: null,
          parent_asset_id: input.parentAssetId ?? null,
          meter_value_milli: null,
          meter_reading_at: null,
          notes: input.notes ?? null,
          book_value: null,
          accumulated_depreciation: null,
          last_depreciation_date: null,
          external_refs: JSON.stringify(input.externalRefs ?? {}),
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      rethrowUnique(error);
    }
    const effectiveAt = (status === 'ordered' ? input.purchaseDate : input.installDate) ?? todayUtc();
    await recordStatusChange(uow.tx, {
      assetId: id,
      from: null,
      to: status,
      effectiveAt,
      reason: 'registered',
    });
    const asset = await loadAsset(uow.tx, id);
    await uow.emit({ type: AssetEvents.created, subject: assetSubject(id), data: { asset } });
    return asset;
  });
}

export function getAsset(executor: Executor, id: string): Promise<Asset> {
  return loadAsset(queryable(executor), id);
}

/** The asset whose `externalRefs[key]` is `value`, e.g. `('tryton', '42')`; undefined when none. */
export async function findAssetByExternalRef(
  executor: Executor,
  key: string,
  value: string,
): Promise<Asset | undefined> {
  const row = await findRowByExternalRef(queryable(executor), key, value);
  return row ? assetFromRow(row) : undefined;
}

export async function listAssets(
  executor: Executor,
  filter: AssetListFilter,
  page: { limit: number; afterId?: string } = { limit: 50 },
): Promise<{ data: Asset[]; nextAfterId: string | null }> {
  const rows = await listAssetRows(queryable(executor), filter, page);
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(assetFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

const columnOf = {
  serialNumber: 'serial_number',
  itemId: 'item_id',
  name: 'name',
  installDate: 'install_date',
  warrantyPartsUntil: 'warranty_parts_until',
  warrantyLaborUntil: 'warranty_labor_until',
  purchaseDate: 'purchase_date',
  purchaseRef: 'purchase_ref',
  parentAssetId: 'parent_asset_id',
  notes: 'notes',
} as const;

/** Descriptive fields only: location and cost center change through moveAsset, status through the lifecycle. */
export async function updateAsset(
  executor: Executor,
  id: string,
  raw: AssetPatch,
  expectedVersion?: number,
): Promise<Asset> {
  const patch = parseInput(assetPatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await lockAsset(uow, id, expectedVersion);
    assertNotDisposed(row, 'update it');
    const values: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const [field, column] of Object.entries(columnOf)) {
      const value = (patch as Record<string, unknown>)[field];
      if (value !== undefined && (row as Record<string, unknown>)[column] !== value) {
        values[column] = value;
        changed.push(field);
      }
    }
    if (patch.externalRefs !== undefined) {
      const merged = JSON.stringify({
        ...(JSON.parse(row.external_refs) as Record<string, string>),
        ...patch.externalRefs,
      });
      if (merged !== row.external_refs) {
        values.external_refs = merged;
        changed.push('externalRefs');
      }
    }
    if (changed.length === 0) return assetFromRow(row);

    const next = { ...row, ...values } as typeof row;
    checkAssetDates({
      installDate: next.install_date,
      warrantyPartsUntil: next.warranty_parts_until,
      warrantyLaborUntil: next.warranty_labor_until,
    });
    if (changed.includes('itemId')) await resolveItem(uow, next.item_id);
    if (changed.includes('itemId') || changed.includes('serialNumber')) {
      await assertSerialFree(uow.tx, next.item_id, next.serial_number, id);
    }
    if (changed.includes('parentAssetId') && next.parent_asset_id !== null) {
      await checkParent(uow.tx, id, next.parent_asset_id, row.customer_id);
    }
    let asset: Asset;
    try {
      asset = await touchAsset(uow.tx, id, values);
    } catch (error) {
      rethrowUnique(error);
    }
    await uow.emit({
      type: AssetEvents.updated,
      subject: assetSubject(id),
      data: { asset, changedFields: changed },
    });
    return asset;
  });
}

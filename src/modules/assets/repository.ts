import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { milliToQuantity } from '../../shared/quantity.js';
import type { AssetMoveRecord, AssetStatusChange, MeterReading } from './lifecycle-schemas.js';
import type { Asset, AssetListFilter } from './schemas.js';
import { asAssetStatus } from './status-machine.js';
import type {
  AssetMeterReadingsTable,
  AssetMovesTable,
  AssetStatusChangesTable,
  AssetsTable,
} from './tables.js';

export type AssetRow = Selectable<AssetsTable>;

export function assetFromRow(row: AssetRow): Asset {
  const meter =
    row.meter_value_milli !== null && row.meter_reading_at !== null
      ? { value: milliToQuantity(row.meter_value_milli), readingAt: row.meter_reading_at }
      : null;
  return {
    id: row.id,
    serialNumber: row.serial_number,
    itemId: row.item_id,
    name: row.name,
    customerId: row.customer_id,
    siteId: row.site_id,
    costCenter: row.cost_center,
    status: asAssetStatus(row.status),
    installDate: row.install_date,
    warrantyPartsUntil: row.warranty_parts_until,
    warrantyLaborUntil: row.warranty_labor_until,
    purchaseDate: row.purchase_date,
    purchaseRef: row.purchase_ref,
    disposalDate: row.disposal_date,
    disposalReason: row.disposal_reason,
    parentAssetId: row.parent_asset_id,
    meter,
    notes: row.notes,
    bookValue: row.book_value,
    accumulatedDepreciation: row.accumulated_depreciation,
    lastDepreciationDate: row.last_depreciation_date,
    externalRefs: JSON.parse(row.external_refs) as Record<string, string>,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function moveFromRow(row: Selectable<AssetMovesTable>): AssetMoveRecord {
  return {
    id: row.id,
    assetId: row.asset_id,
    movedAt: row.moved_at,
    from: { customerId: row.from_customer_id, siteId: row.from_site_id, costCenter: row.from_cost_center },
    to: { customerId: row.to_customer_id, siteId: row.to_site_id, costCenter: row.to_cost_center },
    reason: row.reason,
    cascadedFromAssetId: row.cascaded_from_asset_id,
    detachedFromAssetId: row.detached_from_asset_id,
    recordedAt: row.recorded_at,
  };
}

export function statusChangeFromRow(row: Selectable<AssetStatusChangesTable>): AssetStatusChange {
  return {
    id: row.id,
    assetId: row.asset_id,
    fromStatus: row.from_status === null ? null : asAssetStatus(row.from_status),
    toStatus: asAssetStatus(row.to_status),
    effectiveAt: row.effective_at,
    reason: row.reason,
    recordedAt: row.recorded_at,
  };
}

export function readingFromRow(row: Selectable<AssetMeterReadingsTable>): MeterReading {
  return {
    id: row.id,
    assetId: row.asset_id,
    readingAt: row.reading_at,
    value: milliToQuantity(row.value_milli),
    source: row.source,
    meterReplaced: Number(row.meter_replaced) === 1,
    recordedAt: row.recorded_at,
  };
}

export function findAssetRow(db: Kysely<Database>, id: string): Promise<AssetRow | undefined> {
  return db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAssetBySerial(
  db: Kysely<Database>,
  itemId: string,
  serialNumber: string,
): Promise<AssetRow | undefined> {
  return db
    .selectFrom('assets')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('serial_number', '=', serialNumber)
    .executeTakeFirst();
}

/** The asset whose `externalRefs[key]` is `value` (the first by id when several claim it). */
export async function findAssetByExternalRef(
  db: Kysely<Database>,
  key: string,
  value: string,
): Promise<AssetRow | undefined> {
  // external_refs is JSON text written by JSON.stringify: narrow with LIKE, then check the parsed value.
  const needle = JSON.stringify({ [key]: value }).slice(1, -1);
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom('assets')
    .selectAll()
    .where(sql<boolean>`external_refs like ${`%${escaped}%`} escape '\\'`)
    .orderBy('id')
    .execute();
  return rows.find((r) => (JSON.parse(r.external_refs) as Record<string, unknown>)[key] === value);
}

export function findChildRows(db: Kysely<Database>, parentId: string): Promise<AssetRow[]> {
  return db.selectFrom('assets').selectAll().where('parent_asset_id', '=', parentId).orderBy('id').execute();
}

export async function latestStatusChangeAt(db: Kysely<Database>, assetId: string): Promise<string | null> {
  const row = await db
    .selectFrom('asset_status_changes')
    .select('effective_at')
    .where('asset_id', '=', assetId)
    .orderBy('effective_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.effective_at ?? null;
}

export function latestMoveRow(db: Kysely<Database>, assetId: string) {
  return db
    .selectFrom('asset_moves')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('moved_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function latestReadingRow(db: Kysely<Database>, assetId: string) {
  return db
    .selectFrom('asset_meter_readings')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('reading_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listAssetRows(
  db: Kysely<Database>,
  filter: AssetListFilter,
  page: { limit: number; afterId?: string },
): Promise<AssetRow[]> {
  let query = db
    .selectFrom('assets')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.siteId) query = query.where('site_id', '=', filter.siteId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.itemId) query = query.where('item_id', '=', filter.itemId);
  if (filter.serialNumber) query = query.where('serial_number', '=', filter.serialNumber);
  if (filter.costCenter) query = query.where('cost_center', '=', filter.costCenter);
  if (filter.parentAssetId) query = query.where('parent_asset_id', '=', filter.parentAssetId);
  if (filter.updatedSince)
    query = query.where('updated_at', '>=', new Date(filter.updatedSince).toISOString());
  if (filter.warrantyActiveOn) {
    const on = filter.warrantyActiveOn;
    query = query
      .where((eb) => eb.or([eb('warranty_parts_until', '>=', on), eb('warranty_labor_until', '>=', on)]))
      .where((eb) => eb.or([eb('disposal_date', 'is', null), eb('disposal_date', '>=', on)]));
  }
  return query.execute();
}

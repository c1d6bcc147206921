import type { AssetPurchase } from '../../modules/assets/index.js';
import {
  assetPurchaseInputSchema,
  createAssetPurchase,
  findAssetPurchase,
  getAssetPurchase,
  updateAssetPurchase,
} from '../../modules/assets/index.js';
import type { InboundApplier, LocalRecord } from './applier.js';
import { readLocal } from './applier.js';
import { parsePulled, withoutNulls } from './applier.js';

const toLocal = (p: AssetPurchase): LocalRecord => ({
  id: p.id,
  version: p.version,
  updatedAt: p.updatedAt,
  data: p,
});

const read = readLocal(getAssetPurchase, toLocal);

const header = [
  'purchaseRef',
  'supplierReference',
  'purchaseDate',
  'customerId',
  'siteId',
  'costCenter',
  'status',
  'lines',
] as const;

/**
 * Purchases of equipment (`asset_purchase`): one ERP purchase is one local record, the purchase as
 * Fieldsync knows it (assets module, `asset_purchases`), and every unit of its lines is one asset created
 * through the module (`asset.created` each). The module keys units by (purchase, line, unit number), so a
 * re-pulled purchase creates nothing and a line whose quantity grew adds only the new units. Matched by
 * `purchaseRef` (the ERP purchase number). `lines` items carry `lineId` (stable per line), `sku` (the item
 * of the assets), `quantity` (whole units) and optionally `name`.
 */
export const assetPurchaseApplier: InboundApplier = {
  entity: 'asset_purchase',
  eventKey: 'asset_purchase',
  fields: header,
  read,
  async findMatch(executor, values) {
    const ref = values.purchaseRef;
    if (typeof ref !== 'string' || ref === '') return undefined;
    const found = await findAssetPurchase(executor, ref);
    return found ? toLocal(found) : undefined;
  },
  async create(uow, values) {
    const input = parsePulled(assetPurchaseInputSchema, withoutNulls(values), 'asset purchase');
    return toLocal(await createAssetPurchase(uow, input));
  },
  async update(uow, id, patch, expectedVersion) {
    const current = await getAssetPurchase(uow, id);
    // The module takes the whole purchase: the current one with the pulled changes over it.
    const merged: Record<string, unknown> = {};
    for (const field of header) merged[field] = field in patch ? patch[field] : current[field];
    const input = parsePulled(assetPurchaseInputSchema, withoutNulls(merged), 'asset purchase change');
    return toLocal(await updateAssetPurchase(uow, id, input, expectedVersion));
  },
};

export { assetRoutes } from './routes.js';
export {
  assetCreateSchema,
  assetListQuerySchema,
  assetPatchSchema,
  assetSchema,
  assetPurchaseInputSchema,
  assetPurchaseSchema,
  assetStatuses,
  assetValuationSchema,
  initialAssetStatuses,
  warrantyStatusSchema,
} from './schemas.js';
export type {
  Asset,
  AssetCreate,
  AssetListFilter,
  AssetPatch,
  AssetPurchase,
  AssetPurchaseInput,
  AssetStatus,
  AssetValuation,
  WarrantyStatus,
} from './schemas.js';
export {
  assetDisposeSchema,
  assetHistorySchema,
  assetMoveRecordSchema,
  assetMoveSchema,
  assetTransitionSchema,
  meterReadingInputSchema,
  meterReadingSchema,
  transitionTargets,
} from './lifecycle-schemas.js';
export type {
  AssetDispose,
  AssetHistory,
  AssetHistoryEntry,
  AssetMove,
  AssetMoveRecord,
  AssetStatusChange,
  AssetTransition,
  MeterReading,
  MeterReadingInput,
} from './lifecycle-schemas.js';
export { createAsset, findAssetByExternalRef, getAsset, listAssets, updateAsset } from './asset.service.js';
export { recordAssetValuation } from './valuation.service.js';
export {
  createAssetPurchase,
  findAssetPurchase,
  getAssetPurchase,
  MAX_UNITS_PER_LINE,
  updateAssetPurchase,
} from './purchase.service.js';
export { purchaseLineUnits, purchaseUnitSiblings } from './purchase-units.js';
export type { PurchaseUnit } from './purchase-units.js';
export { disposeAsset, transitionAsset } from './lifecycle.service.js';
export { moveAsset } from './move.service.js';
export { listMeterReadings, recordMeterReading } from './meter.service.js';
export { getAssetHistory } from './history.service.js';
export { allowedTransitions, canTransition } from './status-machine.js';
export { warrantyStatus } from './warranty.js';
export type { WarrantyFacts } from './warranty.js';
export { AssetEvents, assetSubject } from './events.js';
export type { AssetEventType } from './events.js';
export type { AssetsTables } from './tables.js';

import type { ChangePage, ConnectorRecord, Cursor, WriteOp, WriteResult } from '../sdk/connector.js';
import { analyticLineReadSpec } from './entities/analytic-line/analytic-line-read.js';
import { createCosts } from './entities/analytic-line/cost-create.js';
import { disposeAssets } from './entities/asset/asset-dispose.js';
import { assetPurchaseReadSpec } from './entities/asset/asset-purchase-read.js';
import { assetDepreciationReadSpec, assetReadSpec } from './entities/asset/asset-read.js';
import { createInventories } from './entities/inventory/inventory-create.js';
import { inventoryReadSpec } from './entities/inventory/inventory-read.js';
import { createInvoices } from './entities/invoice/invoice-create.js';
import { invoiceReadSpec } from './entities/invoice/invoice-read.js';
import { locationReadSpec } from './entities/location/location-read.js';
import { partyReadSpec } from './entities/party/party-read.js';
import { writeParties } from './entities/party/party-write.js';
import { productReadSpec } from './entities/product/product-read.js';
import { readStockLevelChanges } from './entities/stock-level/stock-level-changes.js';
import { readStockLevels } from './entities/stock-level/stock-level-read.js';
import { createStockMoves } from './entities/stock-move/stock-move-create.js';
import { stockMoveReadSpec, stockReceiptReadSpec } from './entities/stock-move/stock-move-read.js';
import { createTimesheetLines } from './entities/timesheet-line/timesheet-create.js';
import { timesheetReadSpec } from './entities/timesheet-line/timesheet-read.js';
import type { TrytonEntity } from './manifest.js';
import type { ReadSpec } from './runtime/reader.js';
import type { TrytonRuntime } from './runtime/runtime.js';

/**
 * One entry per entity: how it is read (a ReadSpec for keyset reads, or a custom `readAll` for computed
 * snapshots) and which function writes it. The session dispatches through this table only, so adding an
 * entity is one file per operation plus one line here (n8n v2 style, no if-ladders). The manifest declares
 * the same operations; a test keeps the two in step.
 */
export interface EntityRoute {
  read?: ReadSpec;
  readAll?: (rt: TrytonRuntime) => AsyncIterable<ConnectorRecord>;
  /** A custom incremental read, for entities whose changes are stamped on another model (stock levels). */
  changes?: (rt: TrytonRuntime, cursor: Cursor | null, limit: number) => Promise<ChangePage>;
  write?: (rt: TrytonRuntime, ops: readonly WriteOp[]) => Promise<WriteResult[]>;
}

export const routes: Readonly<Record<TrytonEntity, EntityRoute>> = {
  party: { read: partyReadSpec, write: writeParties },
  product: { read: productReadSpec },
  location: { read: locationReadSpec },
  stock_move: { read: stockMoveReadSpec, write: createStockMoves },
  stock_receipt: { read: stockReceiptReadSpec },
  stock_level: { readAll: readStockLevels, changes: readStockLevelChanges },
  inventory: { read: inventoryReadSpec, write: createInventories },
  invoice: { read: invoiceReadSpec, write: createInvoices },
  analytic_line: { read: analyticLineReadSpec, write: createCosts },
  asset: { read: assetReadSpec, write: disposeAssets },
  asset_depreciation: { read: assetDepreciationReadSpec },
  asset_purchase: { read: assetPurchaseReadSpec },
  timesheet_line: { read: timesheetReadSpec, write: createTimesheetLines },
};

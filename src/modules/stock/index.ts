export { cycleCountRoutes } from './cycle-count.routes.js';
export { cycleCountCreateSchema, cycleCountSchema } from './cycle-count.schemas.js';
export type {
  CycleCount,
  CycleCountCreate,
  CycleCountLine,
  CycleCountListFilter,
  CycleCountStatus,
} from './cycle-count.schemas.js';
export {
  cancelCycleCount,
  createCycleCount,
  getCycleCount,
  listCycleCounts,
  postCycleCount,
} from './cycle-count.service.js';
export { warehouseRef } from './event-refs.js';
export type { ItemRef, TransferFact, WarehouseRef } from './event-refs.js';
export { movementSchema, onHandSchema, transferSchema } from './movement.schemas.js';
export type {
  AdjustmentInput,
  MovementKind,
  MovementListFilter,
  OnHand,
  OnHandFilter,
  ReceiptInput,
  SerialListFilter,
  StockMovement,
  StockSerial,
  StockTransfer,
  TransferInput,
  WorkOrderMovementInput,
} from './movement.schemas.js';
export {
  findMovementByIdempotencyKey,
  getMovement,
  issueToWorkOrder,
  listMovements,
  postAdjustment,
  postReceipt,
  returnFromWorkOrder,
  transferStock,
} from './movement.service.js';
export {
  getOnHand,
  listOnHand,
  listSerials,
  recomputeOnHand,
  verifyLedgerConsistency,
} from './on-hand.service.js';
export type { LedgerConsistencyReport } from './on-hand.service.js';
export { loadOpeningBalances } from './opening-balances.js';
export type { OpeningBalance, OpeningBalancesOptions } from './opening-balances.js';
export { StockEvents } from './posting.js';
export { stockRoutes } from './stock.routes.js';
export type { StockTables } from './tables.js';
export { warehouseRoutes } from './warehouse.routes.js';
export { warehouseCreateSchema, warehousePatchSchema, warehouseSchema } from './warehouse.schemas.js';
export type {
  Warehouse,
  WarehouseCreate,
  WarehouseKind,
  WarehouseListFilter,
  WarehousePatch,
} from './warehouse.schemas.js';
export {
  archiveWarehouse,
  createWarehouse,
  getWarehouse,
  listWarehouses,
  updateWarehouse,
  WarehouseEvents,
} from './warehouse.service.js';

import type { IdempotencyTables } from '../../api/idempotency/tables.js';
import type { AssetsTables } from '../../modules/assets/tables.js';
import type { BillingTables } from '../../modules/billing/tables.js';
import type { ContractsTables } from '../../modules/contracts/tables.js';
import type { CustomersTables } from '../../modules/customers/tables.js';
import type { ItemsTables } from '../../modules/items/tables.js';
import type { MaintenancePlansTables } from '../../modules/maintenance-plans/tables.js';
import type { StockTables } from '../../modules/stock/tables.js';
import type { TechniciansTables } from '../../modules/technicians/tables.js';
import type { WorkOrdersTables } from '../../modules/work-orders/tables.js';
import type { ImportTables } from '../../imports/tables.js';
import type { SyncReplayTables } from '../../sync/replay/tables.js';
import type { SyncTables } from '../../sync/store/tables.js';
import type { AuthTables } from '../auth/tables.js';
import type { OutboxTables } from '../outbox/tables.js';

/** Every table of the store, composed from the table declarations each module owns. */
export interface Database
  extends
    OutboxTables,
    AuthTables,
    IdempotencyTables,
    CustomersTables,
    ItemsTables,
    StockTables,
    TechniciansTables,
    AssetsTables,
    ContractsTables,
    WorkOrdersTables,
    MaintenancePlansTables,
    BillingTables,
    SyncTables,
    SyncReplayTables,
    ImportTables {}

export {
  TEST_ERP_ENTITIES,
  TEST_ERP_MAX_BATCH,
  TEST_ERP_MAX_PAGE,
  TEST_ERP_VERSION,
} from './test-erp-api.js';
export type { TestErpEntity, WireOpResult, WireRecord } from './test-erp-api.js';
export { testErpConfigSchema, testErpConnector } from './test-erp-connector.js';
export type { TestErpConfig } from './test-erp-connector.js';
export { TestErpFaults } from './test-erp-faults.js';
export type { FaultRequest, OpRejection, RequestFault } from './test-erp-faults.js';
export { startTestErp } from './test-erp-server.js';
export type { RecordedRequest, TestErp, TestErpOptions } from './test-erp-server.js';
export { TestErpStore } from './test-erp-store.js';
export type { ErpOp, ErpOpOutcome, ErpRecord, SeedInput, TestErpStoreOptions } from './test-erp-store.js';

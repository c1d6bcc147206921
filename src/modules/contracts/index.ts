export { contractRoutes } from './routes.js';
export { priceListRoutes } from './price-list-routes.js';
export {
  contractCreateSchema,
  contractPatchSchema,
  contractSchema,
  contractStatuses,
  contractTerminateSchema,
  coveringContractSchema,
} from './contract-schemas.js';
export type {
  Contract,
  ContractCreate,
  ContractListFilter,
  ContractPatch,
  ContractStatus,
  ContractTerminate,
  CoveringContract,
  CoveringQuery,
} from './contract-schemas.js';
export {
  billingPeriods,
  capKinds,
  capPeriods,
  contractCapSchema,
  contractVersionInputSchema,
  contractVersionSchema,
  coverageTermsSchema,
  priorities,
  workOrderTypes,
} from './version-schemas.js';
export type {
  ContractCap,
  ContractSla,
  ContractVersion,
  ContractVersionInput,
  CoverageTerms,
  Priority,
  SlaHours,
  WorkOrderType,
} from './version-schemas.js';
export {
  priceListCreateSchema,
  priceListPatchSchema,
  priceListSchema,
  resolvedPriceListsSchema,
} from './price-list-schemas.js';
export type {
  PriceList,
  PriceListCreate,
  PriceListFilter,
  PriceListPatch,
  ResolvedPriceLists,
} from './price-list-schemas.js';
export {
  activateContract,
  createContract,
  getContract,
  listContracts,
  terminateContract,
  updateContract,
} from './contract.service.js';
export { addContractVersion } from './version.service.js';
export { findContractsCovering, getContractVersionInForce } from './in-force.service.js';
export { createPriceList, updatePriceList } from './price-list.service.js';
export { getPriceList, listPriceLists, resolvePriceLists } from './price-list-read.service.js';
export { categoryCovered, coverageFor, slaFor } from './terms.js';
export { ContractEvents, contractSubject, PriceListEvents, priceListSubject } from './events.js';
export type { ContractsTables } from './tables.js';

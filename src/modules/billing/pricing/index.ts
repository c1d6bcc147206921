export { capPeriodFor } from './caps.js';
export type { CapPeriodRange } from './caps.js';
export {
  capConsumptionSchema,
  coverageShareSchema,
  documentTotalsSchema,
  lineDetailSchema,
  pricedDocumentSchema,
  pricedLineSchema,
  reasonSchema,
} from './document-schema.js';
export type {
  CapConsumption,
  CoverageShare,
  DocumentTotals,
  LineDetail,
  PricedDocument,
  PricedLine,
  Reason,
} from './document-schema.js';
export {
  assetWarrantySchema,
  capPeriods,
  capSchema,
  capUsageSchema,
  contractVersionSchema,
  coverageTermsSchema,
  laborEntrySchema,
  lineKinds,
  partEntrySchema,
  priceListSchema,
  pricingInputSchema,
  pricingPolicySchema,
  warrantyPrecedences,
  workOrderSchema,
  workOrderTypes,
} from './input-schema.js';
export type {
  AssetWarranty,
  CapPeriod,
  CapUsage,
  ContractCap,
  ContractVersion,
  CoverageTerms,
  LaborEntry,
  LineKind,
  PartEntry,
  PriceList,
  PricingInput,
  PricingPolicy,
  PricingWorkOrder,
  Travel,
  WarrantyPrecedence,
  WorkOrderType,
} from './input-schema.js';
export { parsePricingInput } from './parse-input.js';
export { PRICING_ENGINE_VERSION, priceWorkOrder } from './price-work-order.js';
export { ReasonCode, reasonCodes } from './reason-codes.js';

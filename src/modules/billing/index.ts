export { billingRoutes } from './routes.js';
export {
  billingAddressSchema,
  billingDocumentSchema,
  billingLineKinds,
  billingLineSchema,
  creditInputSchema,
  documentKinds,
  documentListQuerySchema,
  documentStatuses,
  invoiceInputSchema,
  recurringFeeRunSchema,
  sendInputSchema,
} from './schemas.js';
export type {
  BillingAddress,
  BillingDocument,
  BillingLine,
  BillingLineKind,
  BillingTotals,
  CreditInput,
  DocumentKind,
  DocumentListFilter,
  DocumentStatus,
  InvoiceInput,
  RecurringFeeRun,
  SendInput,
} from './schemas.js';
export { allowedFrom, allowedTransitions } from './status.js';
export { defaultBillingPolicy } from './billing-policy.js';
export type { BillingOptions, BillingPolicy } from './billing-policy.js';
export { billCompletedWorkOrders, billWorkOrder, repriceDocument } from './work-order-billing.service.js';
export type { BillCompletedResult, BillWorkOrderResult } from './work-order-billing.service.js';
export { newFactsCache } from './work-order-facts.js';
export type { FactsCache } from './work-order-facts.js';
export {
  approveDocument,
  creditDocument,
  markDocumentInvoiced,
  markDocumentSent,
} from './lifecycle.service.js';
export type { CreditResult } from './lifecycle.service.js';
export { generateRecurringFees } from './recurring-fee.service.js';
export type { RecurringFeeRunResult } from './recurring-fee.service.js';
export {
  daysInclusive,
  feePeriodContaining,
  feePeriodsOverlapping,
  feeSegments,
} from './recurring-fee-periods.js';
export type { FeePeriodKind, FeeSegment } from './recurring-fee-periods.js';
export {
  findBillingDocumentByNumber,
  getBillingDocument,
  getContractCapUsage,
  listBillingDocuments,
  summarizeBilling,
} from './read.service.js';
export type { BillingSummaryFilter, BillingSummaryRow } from './read.service.js';
export {
  engineListId,
  toEngineContract,
  toEnginePriceList,
  toPricingInput,
  warrantyOf,
} from './pricing-adapter.js';
export type { PricingAdapterResult, WorkOrderFacts } from './pricing-adapter.js';
export { BillingEvents, billingDocumentSubject } from './events.js';
export type { BillingEventType } from './events.js';
export type { BillingTables } from './tables.js';

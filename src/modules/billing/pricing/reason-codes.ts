/**
 * Machine-readable reasons attached to every priced line. The set is closed so consumers (ERP mapping,
 * console, reports) can switch on it; docs/billing.md lists each code and a test keeps that table complete.
 */
export const ReasonCode = {
  priceCustomerList: 'price_customer_list',
  priceDefaultList: 'price_default_list',
  laborRounded: 'labor_rounded',
  laborMinimum: 'labor_minimum',
  laborNotBillable: 'labor_not_billable',
  feeCallOut: 'fee_call_out',
  feeDistance: 'fee_distance',
  contractDiscount: 'contract_discount',
  warrantyCovered: 'warranty_covered',
  warrantyExpired: 'warranty_expired',
  warrantySupersededByContract: 'warranty_superseded_by_contract',
  contractCovered: 'contract_covered',
  contractNotCovered: 'contract_not_covered',
  contractTypeNotCovered: 'contract_type_not_covered',
  contractCategoryExcluded: 'contract_category_excluded',
  contractCategoryNotIncluded: 'contract_category_not_included',
  contractSupersededByWarranty: 'contract_superseded_by_warranty',
  noContract: 'no_contract',
  capLimited: 'cap_limited',
  capExhausted: 'cap_exhausted',
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

export const reasonCodes: readonly ReasonCode[] = Object.values(ReasonCode);

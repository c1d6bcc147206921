import { z } from 'zod';
import { compact } from './customers.js';
import {
  code,
  dateOrDateTime,
  optionalAmount,
  optionalCurrency,
  positiveInteger,
  quantity,
} from './fields.js';

/** purchase-receipts: one row per receipt line, keyed by (receipt_ref, line) so a re-import is idempotent. */
export const purchaseReceiptImportSchema = z
  .object({
    receipt_ref: code(),
    line: positiveInteger,
    supplier_code: code(),
    sku: code(),
    quantity: quantity.refine(
      (value) => /[1-9]/.test(value) && !value.startsWith('-'),
      'must be greater than zero',
    ),
    location: code(),
    received_at: dateOrDateTime,
    unit_cost: optionalAmount,
    currency: optionalCurrency,
  })
  .refine((row) => (row.unit_cost === undefined) === (row.currency === undefined), {
    message: 'unit_cost and currency go together',
    path: ['currency'],
  });

export const purchaseReceiptColumns = [
  'receipt_ref',
  'line',
  'supplier_code',
  'sku',
  'quantity',
  'location',
  'received_at',
  'unit_cost',
  'currency',
];
export const purchaseReceiptRequired = [
  'receipt_ref',
  'line',
  'supplier_code',
  'sku',
  'quantity',
  'location',
  'received_at',
];

export type PurchaseReceiptImport = {
  receiptRef: string;
  line: number;
  supplierCode: string;
  sku: string;
  quantity: string;
  location: string;
  receivedAt: string;
  unitCost?: { amount: string; currency: string };
};

export function toPurchaseReceiptImport(
  row: z.infer<typeof purchaseReceiptImportSchema>,
): PurchaseReceiptImport {
  return compact({
    receiptRef: row.receipt_ref,
    line: row.line,
    supplierCode: row.supplier_code,
    sku: row.sku,
    quantity: row.quantity,
    location: row.location,
    receivedAt: row.received_at,
    unitCost:
      row.unit_cost !== undefined && row.currency !== undefined
        ? { amount: row.unit_cost, currency: row.currency }
        : undefined,
  });
}

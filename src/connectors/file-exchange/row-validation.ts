import type { z } from 'zod';
import { ImportKind } from './import-kinds.js';
import {
  customerColumns,
  customerImportSchema,
  customerRequired,
  toCustomerImport,
  type CustomerImport,
} from './schemas/customers.js';
import {
  itemColumns,
  itemImportSchema,
  itemRequired,
  toItemImport,
  type ItemImport,
} from './schemas/items.js';
import {
  priceListColumns,
  priceListImportSchema,
  priceListRequired,
  toPriceListImport,
  type PriceListImport,
} from './schemas/price-lists.js';
import {
  purchaseReceiptColumns,
  purchaseReceiptImportSchema,
  purchaseReceiptRequired,
  toPurchaseReceiptImport,
  type PurchaseReceiptImport,
} from './schemas/purchase-receipts.js';
import {
  stockLevelColumns,
  stockLevelImportSchema,
  stockLevelRequired,
  toStockLevelImport,
  type StockLevelImport,
} from './schemas/stock-levels.js';

/** A validated inbound row, ready for the domain service of its kind. */
export type ImportRow =
  | { kind: typeof ImportKind.customers; record: CustomerImport }
  | { kind: typeof ImportKind.items; record: ItemImport }
  | { kind: typeof ImportKind.stockLevels; record: StockLevelImport }
  | { kind: typeof ImportKind.priceLists; record: PriceListImport }
  | { kind: typeof ImportKind.purchaseReceipts; record: PurchaseReceiptImport };

export type RowValidation = { ok: true; row: ImportRow } | { ok: false; reason: string };

interface KindSpec {
  columns: readonly string[];
  required: readonly string[];
  validate(record: Record<string, string>): RowValidation;
}

function spec<S extends z.ZodType, K extends ImportKind>(
  kind: K,
  schema: S,
  columns: readonly string[],
  required: readonly string[],
  convert: (value: z.infer<S>) => Extract<ImportRow, { kind: K }>['record'],
): KindSpec {
  return {
    columns,
    required,
    validate(record) {
      const parsed = schema.safeParse(record);
      if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error.issues) };
      return { ok: true, row: { kind, record: convert(parsed.data) } as ImportRow };
    },
  };
}

/** "quantity: a decimal number with at most 3 decimals; sku: required" */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.map(String).join('.') || 'row';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
      return `${field}: ${message}`;
    })
    .join('; ');
}

const specs: Record<ImportKind, KindSpec> = {
  [ImportKind.customers]: spec(
    ImportKind.customers,
    customerImportSchema,
    customerColumns,
    customerRequired,
    toCustomerImport,
  ),
  [ImportKind.items]: spec(ImportKind.items, itemImportSchema, itemColumns, itemRequired, toItemImport),
  [ImportKind.stockLevels]: spec(
    ImportKind.stockLevels,
    stockLevelImportSchema,
    stockLevelColumns,
    stockLevelRequired,
    toStockLevelImport,
  ),
  [ImportKind.priceLists]: spec(
    ImportKind.priceLists,
    priceListImportSchema,
    priceListColumns,
    priceListRequired,
    toPriceListImport,
  ),
  [ImportKind.purchaseReceipts]: spec(
    ImportKind.purchaseReceipts,
    purchaseReceiptImportSchema,
    purchaseReceiptColumns,
    purchaseReceiptRequired,
    toPurchaseReceiptImport,
  ),
};

export function validateRow(kind: ImportKind, record: Record<string, string>): RowValidation {
  return specs[kind].validate(record);
}

/** The documented columns of a kind, in order (also the positional names of header-less CSV files). */
export function columnsOf(kind: ImportKind): readonly string[] {
  return specs[kind].columns;
}

export function requiredColumnsOf(kind: ImportKind): readonly string[] {
  return specs[kind].required;
}

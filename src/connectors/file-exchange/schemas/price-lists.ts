import { z } from 'zod';
import { compact } from './customers.js';
import { amount, code, currency, optionalDate, optionalQuantity } from './fields.js';

/** price-lists: one price per (price_list, sku, min_quantity, valid_from). */
export const priceListImportSchema = z
  .object({
    price_list: code(),
    sku: code(),
    unit_price: amount.refine((value) => !value.startsWith('-'), 'must not be negative'),
    currency,
    min_quantity: optionalQuantity,
    valid_from: optionalDate,
    valid_to: optionalDate,
  })
  .refine(
    (row) => row.valid_from === undefined || row.valid_to === undefined || row.valid_from <= row.valid_to,
    {
      message: 'valid_to is before valid_from',
      path: ['valid_to'],
    },
  );

export const priceListColumns = [
  'price_list',
  'sku',
  'unit_price',
  'currency',
  'min_quantity',
  'valid_from',
  'valid_to',
];
export const priceListRequired = ['price_list', 'sku', 'unit_price', 'currency'];

export type PriceListImport = {
  priceList: string;
  sku: string;
  unitPrice: { amount: string; currency: string };
  minQuantity: string;
  validFrom?: string;
  validTo?: string;
};

export function toPriceListImport(row: z.infer<typeof priceListImportSchema>): PriceListImport {
  return compact({
    priceList: row.price_list,
    sku: row.sku,
    unitPrice: { amount: row.unit_price, currency: row.currency },
    minQuantity: row.min_quantity ?? '1',
    validFrom: row.valid_from,
    validTo: row.valid_to,
  });
}

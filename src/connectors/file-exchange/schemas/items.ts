import { z } from 'zod';
import { compact } from './customers.js';
import { code, optionalAmount, optionalBoolean, optionalCurrency, requiredText } from './fields.js';

/** items: one row per item, keyed by `sku`. A price needs its currency. */
export const itemImportSchema = z
  .object({
    sku: code(),
    name: requiredText(200),
    uom: code(16),
    type: z.preprocess(
      (value) =>
        typeof value === 'string' && value.trim() === ''
          ? undefined
          : typeof value === 'string'
            ? value.trim().toLowerCase()
            : value,
      z.enum(['goods', 'service']).default('goods'),
    ),
    unit_price: optionalAmount,
    currency: optionalCurrency,
    active: optionalBoolean,
  })
  .refine((row) => (row.unit_price === undefined) === (row.currency === undefined), {
    message: 'unit_price and currency go together',
    path: ['currency'],
  });

export const itemColumns = ['sku', 'name', 'uom', 'type', 'unit_price', 'currency', 'active'];
export const itemRequired = ['sku', 'name', 'uom'];

export type ItemImport = {
  sku: string;
  name: string;
  uom: string;
  type: 'goods' | 'service';
  unitPrice?: { amount: string; currency: string };
  active?: boolean;
};

export function toItemImport(row: z.infer<typeof itemImportSchema>): ItemImport {
  return compact({
    sku: row.sku,
    name: row.name,
    uom: row.uom,
    type: row.type,
    unitPrice:
      row.unit_price !== undefined && row.currency !== undefined
        ? { amount: row.unit_price, currency: row.currency }
        : undefined,
    active: row.active,
  });
}

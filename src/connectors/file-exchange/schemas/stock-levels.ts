import { z } from 'zod';
import { compact } from './customers.js';
import { code, optionalDateOrDateTime, quantity } from './fields.js';

/**
 * stock-levels: counted quantity of an item at a location (an absolute level, so re-applying a row is
 * harmless). Negative levels are refused: stock never silently goes negative.
 */
export const stockLevelImportSchema = z.object({
  sku: code(),
  location: code(),
  quantity: quantity.refine((value) => !value.startsWith('-'), 'must not be negative'),
  counted_at: optionalDateOrDateTime,
});

export const stockLevelColumns = ['sku', 'location', 'quantity', 'counted_at'];
export const stockLevelRequired = ['sku', 'location', 'quantity'];

export type StockLevelImport = { sku: string; location: string; quantity: string; countedAt?: string };

export function toStockLevelImport(row: z.infer<typeof stockLevelImportSchema>): StockLevelImport {
  return compact({ sku: row.sku, location: row.location, quantity: row.quantity, countedAt: row.counted_at });
}

import { ZodError } from 'zod';
import type { Executor } from '../../../../../platform/outbox/index.js';
import { errors, isAppError } from '../../../../../shared/errors/index.js';
import type { ApplyRow } from '../../../inbound/index.js';
import { applyCustomer } from './customers.js';
import { applyItem } from './items.js';
import { applyPriceListLine } from './price-lists.js';
import { applyPurchaseReceipt, applyStockLevel } from './stock.js';

/**
 * A service that parses its input with zod directly throws a ZodError, and the money/quantity helpers
 * throw RangeError: both are about the row, not the system. Left as they are they would stop the file
 * and retry it forever, so they become validation errors (a reject with the reason).
 */
function asRowError(error: unknown): unknown {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
    }));
    return errors.validation(
      issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') || 'invalid value',
      issues,
    );
  }
  if (error instanceof RangeError) return errors.validation(error.message);
  return error;
}

/**
 * The inbound `apply`: each validated row goes to the domain service of its kind, through the modules'
 * public functions only, idempotent per row. Domain refusals (validation, unprocessable, conflict,
 * not_found) become row rejects in the file's rejects CSV; anything else stops the file for a later retry.
 */
export function createImportApplier(db: Executor): ApplyRow {
  return async (row, context) => {
    try {
      switch (row.kind) {
        case 'customers':
          return await applyCustomer(db, row.record);
        case 'items':
          return await applyItem(db, row.record);
        case 'stock-levels':
          return await applyStockLevel(db, row.record, context);
        case 'purchase-receipts':
          return await applyPurchaseReceipt(db, row.record);
        case 'price-lists':
          return await applyPriceListLine(db, row.record);
      }
    } catch (error) {
      throw asRowError(error);
    }
  };
}

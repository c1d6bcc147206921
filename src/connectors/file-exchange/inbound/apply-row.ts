import { isConnectorError } from '../../sdk/connector-error.js';
import { isAppError } from '../../../shared/errors/index.js';
import type { ImportRow } from '../row-validation.js';

export interface ApplyContext {
  /** The file's name in the inbox and its content hash: with rowNumber, a stable idempotency key. */
  fileName: string;
  sha256: string;
  rowNumber: number;
}

/**
 * Hands one validated row to the domain service of its kind. It must be idempotent per row (upsert by
 * natural key, absolute stock levels, receipts keyed by receipt_ref + line): a file interrupted by a crash
 * or a transient failure is read again from its first row.
 */
export type ApplyRow = (row: ImportRow, context: ApplyContext) => Promise<void>;

const rowAppCodes = new Set(['validation', 'unprocessable', 'conflict', 'not_found', 'precondition_failed']);
const rowConnectorClasses = new Set(['validation', 'conflict', 'not_found']);

/**
 * Whether an apply failure belongs to the row (it goes to the rejects file and the file goes on) or to the
 * system (database down: the file is left in the inbox and retried whole on a later poll).
 */
export function isRowLevelError(error: unknown): boolean {
  if (isAppError(error)) return rowAppCodes.has(error.code);
  if (isConnectorError(error)) return rowConnectorClasses.has(error.errorClass);
  return false;
}

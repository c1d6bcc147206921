import type { ReadSpec } from '../../runtime/reader.js';
import { moveData, moveFields } from './move-data.js';

/** Every stock move, with the Fieldsync reference of the moves Fieldsync wrote. */
export const stockMoveReadSpec: ReadSpec = {
  model: 'stock.move',
  domain: [],
  fields: moveFields,
  toData: moveData,
};

/**
 * Receipts: done moves out of a supplier location (incoming shipments and direct receipts). The move's
 * write_date moves when it is done, so a receipt created in draft earlier still comes after the cursor.
 */
export const stockReceiptReadSpec: ReadSpec = {
  model: 'stock.move',
  domain: [
    ['state', '=', 'done'],
    ['from_location.type', '=', 'supplier'],
  ],
  fields: moveFields,
  toData: moveData,
};

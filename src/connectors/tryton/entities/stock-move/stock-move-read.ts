import type { ReadSpec } from '../../runtime/reader.js';
import { canonicalStamp, stampOf } from '../../runtime/stamps.js';
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
 * `doneStamp` is that stamp, in the form a stock level's `erpLevel.asOf` has (stock-level/receipts-as-of.ts):
 * a level read as of it or later contains the receipt.
 */
export const stockReceiptReadSpec: ReadSpec = {
  model: 'stock.move',
  domain: [
    ['state', '=', 'done'],
    ['from_location.type', '=', 'supplier'],
  ],
  fields: moveFields,
  toData: async (rows, rt) =>
    (await moveData(rows, rt)).map((data, i) => {
      const row = rows[i];
      return row === undefined ? data : { ...data, doneStamp: canonicalStamp(stampOf(row)) };
    }),
};

import type { TrytonRuntime } from '../../runtime/runtime.js';
import { includeInactive } from '../../runtime/runtime.js';
import { canonicalStamp } from '../../runtime/stamps.js';

/**
 * The latest change stamp of a done receipt (a move out of a supplier location) into any of `locations`,
 * or null when there is none: the as-of of a level read between two equal answers. Receipts pulled by
 * `stock_receipt` carry the same stamp (`doneStamp`), so Fieldsync can tell which of them a level holds.
 * A done move is written when it is done, so its write_date is set; create_date covers one never written.
 */
export async function latestReceiptStamp(
  rt: TrytonRuntime,
  locations: readonly number[],
): Promise<string | null> {
  if (locations.length === 0) return null;
  const receipts = [
    ['state', '=', 'done'],
    ['from_location.type', '=', 'supplier'],
    ['to_location', 'in', [...locations]],
  ];
  const latest = async (written: boolean) => {
    const field = written ? 'write_date' : 'create_date';
    const [row] = await rt.client.searchRead<{ id: number } & Record<string, unknown>>(
      'stock.move',
      [...receipts, ['write_date', written ? '!=' : '=', null]],
      { fields: [field], order: [[field, 'DESC']], limit: 1, context: includeInactive },
    );
    const value = row?.[field];
    return typeof value === 'string' ? canonicalStamp(value) : null;
  };
  const [written, unwritten] = await Promise.all([latest(true), latest(false)]);
  if (written === null) return unwritten;
  if (unwritten === null) return written;
  return written > unwritten ? written : unwritten;
}

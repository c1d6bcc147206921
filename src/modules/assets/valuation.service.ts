import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { parseInput } from '../../shared/parse-input.js';
import { assertNotDisposed, lockAsset, touchAsset } from './asset-kit.js';
import { AssetEvents, assetSubject } from './events.js';
import { moveAsset } from './move.service.js';
import { assetFromRow } from './repository.js';
import type { Asset, AssetValuation } from './schemas.js';
import { assetValuationSchema } from './schemas.js';

/**
 * Records the accounting side of an asset (usually pulled from the ERP): book value, accumulated
 * depreciation, last depreciation date, and the cost center it is booked on.
 *
 * - Valuation fields are accepted in every status, disposed included (the books close an asset after its
 *   disposal); they emit `asset.updated` with `changedFields`.
 * - A cost center change follows the module's rule that changing a cost center is a move: for an asset
 *   past `ordered` it goes through `moveAsset` (history row, `asset.moved`, status `moved`). An asset on
 *   order has not been placed yet, so its cost center is simply recorded (as on creation). A disposed
 *   asset refuses a new cost center (409, disposal is final).
 */
export async function recordAssetValuation(
  executor: Executor,
  id: string,
  raw: AssetValuation,
  expectedVersion?: number,
): Promise<Asset> {
  const input = parseInput(assetValuationSchema, raw);
  return inTransaction(executor, async (uow) => {
    let row = await lockAsset(uow, id, expectedVersion);
    const changed: string[] = [];
    const values: Record<string, unknown> = {};
    if (input.costCenter !== undefined && input.costCenter !== row.cost_center) {
      assertNotDisposed(row, 'change its cost center');
      if (row.status === 'ordered') {
        values.cost_center = input.costCenter;
        changed.push('costCenter');
      } else {
        await moveAsset(uow, id, { costCenter: input.costCenter, reason: 'cost center changed in the ERP' });
        row = await lockAsset(uow, id);
      }
    }
    const fields = [
      ['bookValue', 'book_value', input.bookValue],
      ['accumulatedDepreciation', 'accumulated_depreciation', input.accumulatedDepreciation],
      ['lastDepreciationDate', 'last_depreciation_date', input.lastDepreciationDate],
    ] as const;
    for (const [field, column, value] of fields) {
      if (value !== undefined && row[column] !== value) {
        values[column] = value;
        changed.push(field);
      }
    }
    if (changed.length === 0) return assetFromRow(row);
    const asset = await touchAsset(uow.tx, id, values);
    await uow.emit({
      type: AssetEvents.updated,
      subject: assetSubject(id),
      data: { asset, changedFields: changed },
    });
    return asset;
  });
}

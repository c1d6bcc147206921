import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';

/** One unit of a purchase line and the asset that stands for it (`asset_purchase_units`). */
export interface PurchaseUnit {
  purchaseRef: string;
  lineRef: string;
  unitNo: number;
  assetId: string;
}

/** The units of one line of a purchase (by the purchase's number and the ERP line id), in unit order. */
export async function purchaseLineUnits(
  executor: Executor,
  purchaseRef: string,
  lineRef: string,
): Promise<PurchaseUnit[]> {
  const rows = await queryable(executor)
    .selectFrom('asset_purchase_units as u')
    .innerJoin('asset_purchases as p', 'p.id', 'u.purchase_id')
    .select(['p.purchase_ref', 'u.line_ref', 'u.unit_no', 'u.asset_id'])
    .where('p.purchase_ref', '=', purchaseRef)
    .where('u.line_ref', '=', lineRef)
    .orderBy('u.unit_no')
    .execute();
  return rows.map(toUnit);
}

/** The unit an asset stands for, with the other units of its line, or undefined when it was not bought so. */
export async function purchaseUnitSiblings(
  executor: Executor,
  assetId: string,
): Promise<PurchaseUnit[] | undefined> {
  const own = await queryable(executor)
    .selectFrom('asset_purchase_units as u')
    .innerJoin('asset_purchases as p', 'p.id', 'u.purchase_id')
    .select(['p.purchase_ref', 'u.line_ref', 'u.unit_no', 'u.asset_id'])
    .where('u.asset_id', '=', assetId)
    .executeTakeFirst();
  return own ? purchaseLineUnits(executor, own.purchase_ref, own.line_ref) : undefined;
}

function toUnit(row: {
  purchase_ref: string;
  line_ref: string;
  unit_no: number;
  asset_id: string;
}): PurchaseUnit {
  return {
    purchaseRef: row.purchase_ref,
    lineRef: row.line_ref,
    unitNo: Number(row.unit_no),
    assetId: row.asset_id,
  };
}

import type { Asset, WarrantyStatus } from './schemas.js';

export type WarrantyFacts = Pick<Asset, 'warrantyPartsUntil' | 'warrantyLaborUntil'> &
  Partial<Pick<Asset, 'disposalDate'>>;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parts and labor warranties end on different days; each until-date is the last covered day (inclusive).
 * Equipment that was disposed of is covered by nothing after its disposal date. Pure: no clock, no store.
 */
export function warrantyStatus(asset: WarrantyFacts, onDate: string): WarrantyStatus {
  if (!datePattern.test(onDate)) throw new RangeError(`onDate must be a date YYYY-MM-DD, got ${onDate}`);
  const gone = asset.disposalDate != null && onDate > asset.disposalDate;
  const covers = (until: string | null) => !gone && until !== null && onDate <= until;
  return {
    partsCovered: covers(asset.warrantyPartsUntil),
    laborCovered: covers(asset.warrantyLaborUntil),
    partsUntil: asset.warrantyPartsUntil,
    laborUntil: asset.warrantyLaborUntil,
  };
}

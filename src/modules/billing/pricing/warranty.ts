import { parseDate } from './dates.js';
import type { AssetWarranty, LineKind } from './input-schema.js';

/**
 * Warranty is per asset and separate for parts and labor; the until-date is the last covered day
 * (inclusive). Travel fees are never warranty work: manufacturers reimburse parts and labor, not the trip.
 */

export type WarrantyStatus =
  | { state: 'none' }
  | { state: 'covered'; assetId: string; until: string }
  | { state: 'expired'; assetId: string; until: string };

const NONE: WarrantyStatus = { state: 'none' };

export function warrantyStatus(
  kind: LineKind,
  assetId: string | null,
  warranties: Record<string, AssetWarranty> | undefined,
  date: string,
): WarrantyStatus {
  if (kind === 'fee' || assetId === null || !warranties || !Object.hasOwn(warranties, assetId)) return NONE;
  const warranty = warranties[assetId];
  const field = kind === 'part' ? 'partsUntil' : 'laborUntil';
  const until = warranty?.[field] ?? null;
  if (until === null) return NONE;
  parseDate(until, ['warranties', assetId, field]);
  return until >= date ? { state: 'covered', assetId, until } : { state: 'expired', assetId, until };
}

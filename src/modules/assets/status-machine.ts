import { errors } from '../../shared/errors/index.js';
import type { AssetStatus } from './schemas.js';

/**
 * The asset lifecycle moves forward: ordered → installed → in_service, a relocation puts an asset in
 * `moved` until it is recommissioned, and disposal is final. The table is the single source of truth; the
 * 409 for an illegal step lists the allowed ones so a client can offer them.
 */
export const allowedTransitions: Record<AssetStatus, readonly AssetStatus[]> = {
  ordered: ['installed', 'disposed'],
  installed: ['in_service', 'moved', 'disposed'],
  in_service: ['moved', 'disposed'],
  moved: ['in_service', 'moved', 'disposed'],
  disposed: [],
};

export function asAssetStatus(value: string): AssetStatus {
  if (value in allowedTransitions) return value as AssetStatus;
  throw new Error(`stored asset status is not one we know: ${value}`);
}

export function canTransition(from: AssetStatus, to: AssetStatus): boolean {
  return allowedTransitions[from].includes(to);
}

export function assertTransition(assetId: string, from: AssetStatus, to: AssetStatus): void {
  if (canTransition(from, to)) return;
  const allowed = allowedTransitions[from];
  const hint = from === 'disposed' ? 'disposal is final' : `allowed from ${from}: ${allowed.join(', ')}`;
  throw errors.conflict(`asset ${assetId} cannot go from ${from} to ${to} (${hint})`, {
    assetId,
    currentStatus: from,
    requestedStatus: to,
    allowedTransitions: [...allowed],
  });
}

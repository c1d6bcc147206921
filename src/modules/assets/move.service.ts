import type { Executor, UnitOfWork } from '../../platform/outbox/index.js';
import { inTransaction } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertNotBeforeHistory, lockAsset, recordStatusChange, touchAsset } from './asset-kit.js';
import { AssetEvents, assetSubject } from './events.js';
import type { AssetMove, AssetMoveRecord } from './lifecycle-schemas.js';
import { assetMoveSchema } from './lifecycle-schemas.js';
import { parseInput } from '../../shared/parse-input.js';
import { resolvePlace } from './references.js';
import type { AssetRow } from './repository.js';
import { findChildRows, latestMoveRow, moveFromRow } from './repository.js';
import type { Asset } from './schemas.js';
import { asAssetStatus, assertTransition, canTransition } from './status-machine.js';

/** Device clocks drift; a timestamp further ahead than this is a mistake, and would block every later entry. */
export const FUTURE_TOLERANCE_MS = 60 * 60 * 1000;
const MAX_CASCADE_DEPTH = 50;

export function normalizeTimestamp(value: string | undefined, field: string): string {
  if (value === undefined) return nowIso();
  const ms = Date.parse(value);
  if (ms > Date.now() + FUTURE_TOLERANCE_MS) {
    throw errors.validation(`${field} ${value} is in the future`, [
      { path: [field], message: 'must not be in the future' },
    ]);
  }
  return new Date(ms).toISOString();
}

interface Destination {
  customerId?: string;
  siteId?: string;
  costCenter?: string | null;
}

interface MoveStep {
  row: AssetRow;
  destination: Destination;
  movedAt: string;
  reason: string;
  cascadedFrom: string | null;
}

/** What the move changes on this asset; empty when it is already there. */
function plan(row: AssetRow, destination: Destination) {
  const to = {
    customerId: destination.customerId ?? row.customer_id,
    siteId: destination.siteId ?? row.site_id,
    costCenter: destination.costCenter === undefined ? row.cost_center : destination.costCenter,
  };
  const changed: string[] = [];
  if (to.customerId !== row.customer_id) changed.push('customerId');
  if (to.siteId !== row.site_id) changed.push('siteId');
  if (to.costCenter !== row.cost_center) changed.push('costCenter');
  return { to, changed };
}

async function applyMove(
  uow: UnitOfWork,
  step: MoveStep,
  to: ReturnType<typeof plan>['to'],
  changed: string[],
) {
  const { row } = step;
  const from = asAssetStatus(row.status);
  // A component carried off on its own leaves its parent; one that travels with its parent stays attached.
  const relocated = changed.includes('siteId') || changed.includes('customerId');
  const detachFrom = step.cascadedFrom === null && relocated ? row.parent_asset_id : null;
  const moveRow = {
    id: newId(),
    asset_id: row.id,
    moved_at: step.movedAt,
    from_customer_id: row.customer_id,
    from_site_id: row.site_id,
    from_cost_center: row.cost_center,
    to_customer_id: to.customerId,
    to_site_id: to.siteId,
    to_cost_center: to.costCenter,
    reason: step.reason,
    cascaded_from_asset_id: step.cascadedFrom,
    detached_from_asset_id: detachFrom,
    recorded_at: nowIso(),
  };
  await uow.tx.insertInto('asset_moves').values(moveRow).execute();
  const values: Record<string, unknown> = {
    customer_id: to.customerId,
    site_id: to.siteId,
    cost_center: to.costCenter,
  };
  const changedFields = [...changed];
  if (detachFrom !== null) {
    values.parent_asset_id = null;
    changedFields.push('parentAssetId');
  }
  // An asset still on order has no physical place yet: its destination changes, its status does not.
  if (canTransition(from, 'moved')) {
    values.status = 'moved';
    changedFields.push('status');
    await recordStatusChange(uow.tx, {
      assetId: row.id,
      from,
      to: 'moved',
      effectiveAt: step.movedAt,
      reason: step.reason,
    });
  }
  const asset = await touchAsset(uow.tx, row.id, values);
  const move = moveFromRow(moveRow);
  await uow.emit({
    type: AssetEvents.moved,
    subject: assetSubject(row.id),
    data: { asset, move, fromStatus: from, changedFields },
  });
  return { asset, move };
}

/** Components travel with their parent, depth first, each with its own move record and event. */
async function cascade(
  uow: UnitOfWork,
  parent: MoveStep,
  moves: AssetMoveRecord[],
  depth: number,
): Promise<void> {
  if (depth > MAX_CASCADE_DEPTH)
    throw errors.conflict(`component hierarchy of asset ${parent.row.id} is too deep to move`);
  for (const child of await findChildRows(uow.tx, parent.row.id)) {
    if (child.status === 'disposed') continue;
    const row = await lockAsset(uow, child.id);
    const step: MoveStep = { ...parent, row, cascadedFrom: parent.row.id };
    const { to, changed } = plan(row, parent.destination);
    if (changed.length === 0) continue;
    await assertNotBeforeHistory(uow.tx, row, step.movedAt, 'movedAt');
    moves.push((await applyMove(uow, step, to, changed)).move);
    await cascade(uow, step, moves, depth + 1);
  }
}

/**
 * A move is an event of its own: it records where the asset was and where it went, puts it in `moved`
 * until recommissioned, and takes its components along.
 */
export async function moveAsset(
  executor: Executor,
  id: string,
  raw: AssetMove,
  expectedVersion?: number,
): Promise<{ asset: Asset; moves: AssetMoveRecord[] }> {
  const input = parseInput(assetMoveSchema, raw);
  const movedAt = normalizeTimestamp(input.movedAt, 'movedAt');
  return inTransaction(executor, async (uow) => {
    const row = await lockAsset(uow, id, expectedVersion);
    const from = asAssetStatus(row.status);
    assertTransition(id, from, 'moved');
    const destination: Destination = {
      customerId: input.customerId,
      siteId: input.siteId,
      costCenter: input.costCenter,
    };
    const { to, changed } = plan(row, destination);
    if (changed.length === 0) {
      throw errors.validation('a move must change the site, the customer or the cost center', [
        {
          path: [],
          message: `asset ${id} is already at site ${row.site_id} with cost center ${row.cost_center ?? 'none'}`,
        },
      ]);
    }
    if (changed.includes('siteId') || changed.includes('customerId'))
      await resolvePlace(uow, to.customerId, to.siteId);
    await assertNotBeforeHistory(uow.tx, row, movedAt, 'movedAt');
    const previous = await latestMoveRow(uow.tx, id);
    if (previous && movedAt < previous.moved_at) {
      throw errors.validation(
        `movedAt ${movedAt} is before the asset's previous move at ${previous.moved_at}`,
        [{ path: ['movedAt'], message: `must not be before ${previous.moved_at}` }],
      );
    }
    const step: MoveStep = { row, destination, movedAt, reason: input.reason, cascadedFrom: null };
    const own = await applyMove(uow, step, to, changed);
    const moves = [own.move];
    await cascade(uow, step, moves, 1);
    return { asset: own.asset, moves };
  });
}

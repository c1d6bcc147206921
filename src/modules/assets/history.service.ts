import type { Executor } from '../../platform/outbox/index.js';
import { queryable } from '../../platform/outbox/index.js';
import { loadAsset } from './asset-kit.js';
import type { AssetHistory, AssetHistoryEntry } from './lifecycle-schemas.js';
import { moveFromRow, readingFromRow, statusChangeFromRow } from './repository.js';

function recordedAtOf(entry: AssetHistoryEntry): string {
  if (entry.kind === 'move') return entry.move.recordedAt;
  if (entry.kind === 'meter_reading') return entry.reading.recordedAt;
  return entry.statusChange.recordedAt;
}

/**
 * One asset's life in order: status changes, moves and meter readings. Entries sort by when they happened
 * (`at`: a date for transitions and disposals, a timestamp for moves and readings, so a dated event sorts at
 * the start of its day), then by when they were recorded.
 */
export async function getAssetHistory(executor: Executor, assetId: string): Promise<AssetHistory> {
  const db = queryable(executor);
  await loadAsset(db, assetId);
  const [moves, changes, readings] = await Promise.all([
    db.selectFrom('asset_moves').selectAll().where('asset_id', '=', assetId).execute(),
    db.selectFrom('asset_status_changes').selectAll().where('asset_id', '=', assetId).execute(),
    db.selectFrom('asset_meter_readings').selectAll().where('asset_id', '=', assetId).execute(),
  ]);
  const entries: AssetHistoryEntry[] = [
    ...changes.map((row): AssetHistoryEntry => ({
      kind: 'status_change',
      at: row.effective_at,
      statusChange: statusChangeFromRow(row),
    })),
    ...moves.map((row): AssetHistoryEntry => ({ kind: 'move', at: row.moved_at, move: moveFromRow(row) })),
    ...readings.map((row): AssetHistoryEntry => ({
      kind: 'meter_reading',
      at: row.reading_at,
      reading: readingFromRow(row),
    })),
  ];
  entries.sort((a, b) => {
    if (a.at !== b.at) return a.at < b.at ? -1 : 1;
    const ra = recordedAtOf(a);
    const rb = recordedAtOf(b);
    if (ra !== rb) return ra < rb ? -1 : 1;
    // A move and the status change it caused share both times; show the move first.
    return a.kind === 'move' ? -1 : b.kind === 'move' ? 1 : 0;
  });
  return { assetId, entries };
}
